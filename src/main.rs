use clap::Parser;

fn main() -> std::process::ExitCode {
    binhan::memory::limit_retention();
    let cli = binhan::cli::Cli::parse();
    match binhan::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("binhan: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
