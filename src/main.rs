fn main() -> std::process::ExitCode {
    koers::cli::main()
}
