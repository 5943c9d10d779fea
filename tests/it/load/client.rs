//! One user's HTTP/1.1 connection, kept alive between requests as a browser keeps
//! it: the load test measures Bình An, not TCP handshakes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub struct Client {
    port: u16,
    cookie: Option<String>,
    stream: Option<BufReader<TcpStream>>,
}

/// An answer: status and body.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

impl Client {
    pub fn new(port: u16) -> Client {
        Client { port, cookie: None, stream: None }
    }

    /// Signs in through the API (the password, and the authenticator code where the
    /// role needs one); the session cookie goes with every later request.
    pub fn sign_in(&mut self, username: &str, password: &str, totp: Option<String>) {
        let mut body = serde_json::json!({ "username": username, "password": password });
        if let Some(code) = totp {
            body["totp"] = code.into();
        }
        let (answer, cookie) =
            self.send_reading_cookie("POST", "/api/v1/auth/login", Some(&body.to_string()));
        let answer = answer.expect("the sign-in answers");
        assert_eq!(answer.status, 200, "sign-in of {username}: {}", String::from_utf8_lossy(&answer.body));
        assert_eq!(answer.json()["stage"], "full", "sign-in of {username} gives a full session");
        self.cookie = Some(cookie.expect("a session cookie"));
    }

    /// One request; None when the connection failed (counted as an error).
    pub fn send(&mut self, method: &str, path: &str, body: Option<&str>) -> Option<Answer> {
        self.send_reading_cookie(method, path, body).0
    }

    fn send_reading_cookie(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> (Option<Answer>, Option<String>) {
        // A kept-alive connection the server closed while idle ends before any
        // answer: send again, once, on a new one. Any other failure is an error.
        let reused = self.stream.is_some();
        match self.exchange(method, path, body) {
            Ok(answer) => answer,
            Err(e) => {
                self.stream = None;
                let idle_close = matches!(
                    e.kind(),
                    std::io::ErrorKind::UnexpectedEof
                        | std::io::ErrorKind::BrokenPipe
                        | std::io::ErrorKind::ConnectionReset
                );
                if reused && idle_close {
                    self.exchange(method, path, body).unwrap_or((None, None))
                } else {
                    (None, None)
                }
            }
        }
    }

    fn exchange(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> std::io::Result<(Option<Answer>, Option<String>)> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(("127.0.0.1", self.port))?;
            stream.set_read_timeout(Some(Duration::from_secs(60)))?;
            stream.set_nodelay(true)?;
            self.stream = Some(BufReader::new(stream));
        }
        let reader = self.stream.as_mut().expect("connected");
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n");
        if let Some(cookie) = &self.cookie {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if let Some(body) = body {
            head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        head.push_str(body.unwrap_or(""));
        reader.get_mut().write_all(head.as_bytes())?;

        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status: u16 =
            line.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or(std::io::ErrorKind::InvalidData)?;
        let (mut length, mut chunked, mut close, mut cookie) = (0usize, false, false, None);
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let Some((name, value)) = header.split_once(':') else { continue };
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse().map_err(|_| std::io::ErrorKind::InvalidData)?,
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "connection" => close = value.eq_ignore_ascii_case("close"),
                "set-cookie" if value.starts_with("__Host-binhan_session=") => {
                    cookie = value.split(';').next().map(str::to_string)
                }
                _ => {}
            }
        }
        let body = if chunked { read_chunked(reader)? } else { read_exactly(reader, length)? };
        if close {
            self.stream = None;
        }
        Ok((Some(Answer { status, body }), cookie))
    }
}

fn read_exactly(reader: &mut impl Read, length: usize) -> std::io::Result<Vec<u8>> {
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(body)
}

fn read_chunked(reader: &mut impl BufRead) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
            .map_err(|_| std::io::ErrorKind::InvalidData)?;
        if size == 0 {
            line.clear();
            reader.read_line(&mut line)?;
            return Ok(body);
        }
        body.extend(read_exactly(reader, size)?);
        line.clear();
        reader.read_line(&mut line)?;
    }
}
