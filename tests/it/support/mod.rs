pub mod api;
pub mod app;
pub mod db;
pub mod fake_postgres;
pub mod intake;
pub mod process;
pub mod throwaway_postgres;
