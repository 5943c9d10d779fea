//! Bình An: case management for gender-based violence referrals.
//! See docs/ARCHITECTURE.md for the layers and what each module owns.

pub mod audit;
pub mod authz;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod domain;
pub mod error;
pub mod http;
pub mod memory;
pub mod services;
pub mod store;
pub mod telemetry;
