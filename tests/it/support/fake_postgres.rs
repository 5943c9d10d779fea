//! A PostgreSQL look-alike that asks for a password and rejects it, exactly as a
//! server with password authentication does. The shared test server trusts every
//! local login, so a wrong password cannot be provoked there.

use std::io::{Read, Write};
use std::net::TcpListener;

const SSL_REQUEST: u32 = 80_877_103;
const GSS_REQUEST: u32 = 80_877_104;

pub fn reject_passwords() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = answer(stream);
        }
    });
    port
}

fn answer(mut stream: std::net::TcpStream) -> std::io::Result<()> {
    loop {
        let mut head = [0u8; 8];
        stream.read_exact(&mut head)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let code = u32::from_be_bytes([head[4], head[5], head[6], head[7]]);
        let mut rest = vec![0u8; len.saturating_sub(8)];
        stream.read_exact(&mut rest)?;
        if code == SSL_REQUEST || code == GSS_REQUEST {
            stream.write_all(b"N")?;
            continue;
        }
        break;
    }
    // AuthenticationCleartextPassword, then read the PasswordMessage.
    stream.write_all(&[b'R', 0, 0, 0, 8, 0, 0, 0, 3])?;
    let mut tag = [0u8; 5];
    stream.read_exact(&mut tag)?;
    let len = u32::from_be_bytes([tag[1], tag[2], tag[3], tag[4]]) as usize;
    let mut password = vec![0u8; len.saturating_sub(4)];
    stream.read_exact(&mut password)?;
    let mut fields = Vec::new();
    for (kind, value) in [
        (b'S', "FATAL"),
        (b'V', "FATAL"),
        (b'C', "28P01"),
        (b'M', "password authentication failed for user \"binhan\""),
    ] {
        fields.push(kind);
        fields.extend_from_slice(value.as_bytes());
        fields.push(0);
    }
    fields.push(0);
    let mut message = vec![b'E'];
    message.extend_from_slice(&((fields.len() + 4) as u32).to_be_bytes());
    message.extend_from_slice(&fields);
    stream.write_all(&message)?;
    Ok(())
}
