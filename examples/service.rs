//! A small HTTP service that checks policies, as a Rust service embeds
//! supportlint: `POST /check?name=care.policy` with the policy text as the
//! body returns the JSON report `supportlint check --format json` prints;
//! `GET /rules` returns the rules, as `supportlint rules --format json`.
//!
//! ```text
//! cargo run --example service -- 127.0.0.1:3000
//! curl --data-binary @policies/retail.policy 'localhost:3000/check?name=retail.policy'
//! ```
//!
//! One `Checker`, built once, is shared by every request: it is `Clone`,
//! `Send` and `Sync`, and checking does no IO.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use supportlint::Checker;
use supportlint::report::{json, rules};

/// The query of `POST /check`.
#[derive(Debug, serde::Deserialize)]
pub struct CheckQuery {
    /// The file name findings are reported against (default `policy`).
    name: Option<String>,
}

/// The service's routes around `checker`.
pub fn app(checker: Checker) -> Router {
    // A body over the checker's file limit is refused before it is read
    // whole; one at the limit still gets its E008 from the checker.
    let limit = checker.limits().max_file_bytes.saturating_add(1);
    Router::new()
        .route("/check", post(check))
        .route("/rules", get(list_rules))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(Arc::new(checker))
}

async fn check(State(checker): State<Arc<Checker>>, Query(query): Query<CheckQuery>, body: Bytes) -> impl IntoResponse {
    let name = query.name.unwrap_or_else(|| "policy".to_string());
    // Checking is CPU work: keep it off the threads that serve requests.
    let report = tokio::task::spawn_blocking(move || checker.check_bytes(&name, body.to_vec())).await;
    match report {
        Ok(report) => {
            let document = json::document(std::slice::from_ref(&report), Vec::new());
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                serde_json::to_string_pretty(&document).unwrap_or_default(),
            )
        }
        Err(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "text/plain")], "the check failed".to_string())
        }
    }
}

async fn list_rules(State(checker): State<Arc<Checker>>) -> Json<rules::RulesJson> {
    Json(rules::json(checker.catalog().metas()))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:3000".to_string());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    eprintln!("checking policies on http://{}", listener.local_addr()?);
    axum::serve(listener, app(Checker::new())).await
}
