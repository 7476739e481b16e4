//! Generated policies for the benches: realistic teams that exercise every
//! statement kind and value kind.

/// A policy with `teams` teams of about 700 bytes each; 10,000 teams fit
/// the default 8 MiB limit.
pub fn policy(teams: usize) -> String {
    let mut out = String::with_capacity(teams * 720 + 1000);
    out.push_str(concat!(
        "policy \"Generated\"\n\n",
        "defaults {\n",
        "  shrinkage 30%\n",
        "  hours 08:00-20:00\n",
        "  service_level 80% within 20s\n",
        "  target handle_time <= 12m weight 30% set_by executive\n",
        "  directive executive: minimize handle_time\n",
        "}\n\n",
    ));
    let channels = ["phone", "chat", "email", "social", "video", "in_person"];
    let promises = ["thorough", "personalized", "empathetic", "own_until_resolved", "first_contact", "follow_up"];
    for i in 0..teams {
        let channel = channels[i % channels.len()];
        let promise = promises[i % promises.len()];
        let concurrency = if channel == "chat" || channel == "social" { "  concurrency 2\n" } else { "" };
        let demand = 100 + (i * 37) % 900;
        let agents = 10 + (i * 13) % 120;
        out.push_str(&format!(
            concat!(
                "team \"Team {i}\" {{\n",
                "  channel {channel}\n",
                "  demand {demand}/h\n",
                "  agents {agents}\n",
                "{concurrency}",
                "  patience 2m30s\n",
                "  target first_contact_resolution >= 70% weight 40% set_by director\n",
                "  target csat >= 85% weight 30%\n",
                "  promise {promise}, follow_up\n",
                "  authority {{\n",
                "    refund up_to $50\n",
                "    credit up_to $20 approval supervisor\n",
                "  }}\n",
                "  drivers {{\n",
                "    \"where is my order\" 40% preventable\n",
                "    \"billing dispute\" 25% needs refund up_to $120\n",
                "    \"plan questions\" 35%\n",
                "  }}\n",
                "  scripts guided\n",
                "  training {{ cadence monthly sequence resilience, customer_methods }}\n",
                "  hiring {{ screen_for composure, curiosity }}\n",
                "  directive director: maximize first_contact_resolution\n",
                "}}\n\n",
            ),
            i = i,
            channel = channel,
            demand = demand,
            agents = agents,
            concurrency = concurrency,
            promise = promise,
        ));
    }
    out
}
