//! The example service of examples/service.rs, started on a loopback port:
//! what it answers for each shipped policy is what the CLI prints.

use std::process::Command;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[allow(dead_code)]
#[path = "../../../examples/service.rs"]
mod example;

/// One HTTP/1.1 request on its own connection; the response's status line
/// and body.
async fn request(address: std::net::SocketAddr, method: &str, path: &str, body: &[u8]) -> (String, String) {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nhost: localhost\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8(response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

fn cli_json(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_supportlint"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_service_answers_what_the_cli_prints() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, example::app(supportlint::Checker::new())).await });

        let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        let mut policies: Vec<_> = std::fs::read_dir(root.join("policies"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "policy"))
            .collect();
        policies.sort();
        assert!(policies.len() >= 5);
        for path in &policies {
            let name = format!("policies/{}", path.file_name().unwrap().to_str().unwrap());
            let text = std::fs::read(path).unwrap();
            let (status, body) = request(address, "POST", &format!("/check?name={name}"), &text).await;
            assert!(status.contains("200"), "{status}");
            let served: serde_json::Value = serde_json::from_str(&body).unwrap();
            let printed = cli_json(&["check", "--format", "json", &name]);
            assert_eq!(served, printed, "{name}");
        }

        let (status, body) = request(address, "GET", "/rules", b"").await;
        assert!(status.contains("200"), "{status}");
        let served: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(served, cli_json(&["rules", "--format", "json"]));

        // Not a policy: a located error in the report, not a failure.
        let (status, body) = request(address, "POST", "/check?name=bin.policy", b"\0\x01\x02").await;
        assert!(status.contains("200"), "{status}");
        let served: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(served["findings"][0]["code"], "E001");
    });
}
