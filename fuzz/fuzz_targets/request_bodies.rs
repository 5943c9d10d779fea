//! The JSON bodies of the API: any bytes sent as the body of any request are read
//! as the handlers read them, and an intake that reads is validated, without a
//! panic; each answer is 200 (read), 400 or 422.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let now = chrono::Utc::now();
    for status in binhan::http::api::fuzzing::read_bodies(data, now) {
        assert!(matches!(status, 200 | 400 | 422), "status {status}");
    }
});
