//! The `koers` command: serve, migrate, and installation tasks.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::clock::SystemClock;
use crate::config::{FileSettings, Overrides, Settings};
use crate::domain::{Email, Name, Password, Role};
use crate::http::AppState;
use crate::startup::{Application, prepare_state};
use crate::store::AuditMeta;
use crate::{Error, Result};

#[derive(Debug, Parser)]
#[command(
    name = "koers",
    version,
    about = "Koers: steering platform for digital transformation in the public sector"
)]
pub struct Cli {
    /// Settings file (TOML); environment variables and flags override it
    #[arg(long, global = true, env = "KOERS_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://path.db or postgres://user@host/db [default: sqlite://koers.db]
    #[arg(long, global = true, env = "KOERS_DATABASE_URL")]
    pub database: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (applies pending migrations first)
    Serve {
        /// Load the demo organisation "Gemeente Voorbeeldstad" into an empty database
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// Apply pending database migrations and exit
    Migrate,
    /// Print a new random key for KOERS_SECRET_KEY (seals stored secrets
    /// such as identity providers' client secrets)
    SecretKey,
    /// Organisations (tenants)
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// People
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API tokens
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Bulk imports
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// The audit log
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Effect estimates for analysts
    Effects {
        #[command(subcommand)]
        command: EffectsCommand,
    },
    /// Back up one organisation to an archive file, or (with --all) copy the
    /// whole SQLite database while the server runs
    Backup {
        /// The organisation's slug
        #[arg(long, conflicts_with = "all", required_unless_present = "all")]
        org: Option<String>,
        /// The whole installation (SQLite only), consistent while in use
        #[arg(long)]
        all: bool,
        /// Where to write (an existing file is not overwritten)
        file: PathBuf,
    },
    /// Load an organisation's archive as a new organisation (on either backend)
    Restore {
        /// The archive made by `koers backup --org`
        file: PathBuf,
        /// Restore under this slug instead of the archive's own
        #[arg(long)]
        slug: Option<String>,
    },
    /// Export one organisation's data as an XLSX workbook (a sheet per table)
    Export {
        /// The organisation's slug
        #[arg(long)]
        org: String,
        /// Only `xlsx`: a CSV per list comes from the API or the page
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// Where to write (an existing file is not overwritten)
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit log's hash chain: exits non-zero and names every
    /// event that was changed, removed or written around Koers. Prints the
    /// newest link's hash, to keep elsewhere (removing the newest events
    /// together with the chain's head leaves no trace in the database)
    Verify {
        /// A link written down earlier, as SEQ:HASH (from an earlier run's
        /// output): it must still be there unchanged, which catches a chain
        /// rewritten by someone with the database in hand
        #[arg(long)]
        anchor: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum EffectsCommand {
    /// Estimate many series in one run, on every core. Series CSV:
    /// series_id,date,value,control (control may be empty). Tasks CSV:
    /// series_id,freq,intervention_date (freq is week or month). Output
    /// CSV: series_id,estimate,lo95,hi95,runtime_s,reason — the average
    /// effect per period after go-live with its 95% interval.
    Estimate {
        #[arg(long)]
        series: PathBuf,
        #[arg(long)]
        tasks: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// structural (default), segmented or newey_west (reference)
        #[arg(long, default_value = "structural")]
        method: String,
        /// Threads; default every core
        #[arg(long)]
        workers: Option<usize>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import measurements from a CSV file, all or nothing
    Measurements {
        /// CSV with columns indicator, period (periode), value (waarde), optional note (toelichting)
        file: PathBuf,
        /// Organisation slug
        #[arg(long)]
        org: String,
        /// Check and count only; write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create an organisation
    Create {
        /// Display name, e.g. "Gemeente Voorbeeldstad"
        #[arg(long)]
        name: String,
        /// Short name for URLs and the command line, e.g. voorbeeldstad
        #[arg(long)]
        slug: String,
        /// municipality, province, water_board, agency or other
        #[arg(long, default_value = "municipality")]
        kind: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a person (or update their name) and optionally add them to an organisation
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Organisation slug to add the person to
        #[arg(long, requires = "role")]
        org: Option<String>,
        /// Role in that organisation: admin, executive, programme_lead, unit_lead, employee, viewer
        #[arg(long, requires = "org")]
        role: Option<String>,
        /// Read the password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
        /// Mark as platform administrator (installation-wide tasks)
        #[arg(long)]
        platform_admin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token acting as a member; prints only the token
    Create {
        /// Organisation slug
        #[arg(long)]
        org: String,
        /// Email address of the member the token acts as
        #[arg(long)]
        user: String,
        /// What the token is for
        #[arg(long, default_value = "command line")]
        name: String,
        /// Days until it expires (1–730); no expiry when absent
        #[arg(long)]
        expires_in_days: Option<i64>,
        /// `read` (GET only) or `write`
        #[arg(long, default_value = "read")]
        access: String,
        /// Limit the token to a module (an API tag); repeat for more; all
        /// modules when absent
        #[arg(long = "module")]
        modules: Vec<String>,
    },
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("koers: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("koers: {}", describe(&error));
            ExitCode::FAILURE
        }
    }
}

fn describe(error: &Error) -> String {
    match error {
        Error::Invalid(fields) => fields
            .iter()
            .map(|f| {
                format!(
                    "{}: {}",
                    f.field,
                    crate::i18n::Tr::new(crate::domain::Locale::En)
                        .get(&format!("validation.{}", f.code))
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        Error::Conflict(f) => format!(
            "{}: {}",
            f.field,
            crate::i18n::Tr::new(crate::domain::Locale::En).get(&format!("validation.{}", f.code))
        ),
        Error::NotFound => "not found".to_owned(),
        other => other.to_string(),
    }
}

async fn run(cli: Cli) -> Result<()> {
    let file = match &cli.config {
        Some(path) => FileSettings::load(path).map_err(Error::Unexpected)?,
        None => FileSettings::default(),
    };
    let overrides = match &cli.command {
        Command::Serve { overrides, .. } => overrides.clone(),
        _ => Overrides::default(),
    };
    let mut settings = Settings::layered(file, cli.database.clone(), &overrides);
    crate::telemetry::init(settings.log_format);
    match cli.command {
        Command::Serve { demo, .. } => {
            settings.demo = demo;
            let state = prepare_state(settings, Arc::new(SystemClock), None).await?;
            let app = Application::build(state).await?;
            let address = app.address()?;
            println!("Koers draait op http://{address}");
            if demo {
                println!(
                    "Demo: log in als {} met wachtwoord {}",
                    crate::demo::email_for(Role::Admin),
                    crate::demo::PASSWORD
                );
            }
            app.run_until_stopped().await
        }
        Command::SecretKey => {
            println!("{}", crate::auth::sealed::SecretKey::generate());
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify { anchor },
        } => {
            let anchor = match anchor.as_deref().map(|a| a.split_once(':')) {
                None => None,
                Some(Some((seq, hash))) => Some((
                    seq.trim()
                        .parse::<i64>()
                        .map_err(|_| Error::invalid("anchor", "anchor_format"))?,
                    hash.trim().to_owned(),
                )),
                Some(None) => return Err(Error::invalid("anchor", "anchor_format")),
            };
            let state = prepare_state(settings, Arc::new(SystemClock), None).await?;
            let report = state
                .store()
                .verify_audit_chain(anchor.as_ref().map(|(seq, hash)| (*seq, hash.as_str())))
                .await;
            state.store().close().await;
            let report = report?;
            println!(
                "links: {}; newest link {}: {} (keep `--anchor {}:{}` elsewhere)",
                report.links, report.head_seq, report.head_hash, report.head_seq, report.head_hash
            );
            for problem in &report.problems {
                println!("broken: {problem}");
            }
            if report.more_problems > 0 {
                println!("broken: {} more", report.more_problems);
            }
            if report.intact() {
                println!("the audit chain is intact");
                Ok(())
            } else {
                Err(Error::Unexpected(format!(
                    "the audit chain is broken in {} places",
                    report.problems.len() + report.more_problems
                )))
            }
        }
        Command::Migrate => {
            let state = prepare_state(settings, Arc::new(SystemClock), None).await?;
            state.store().close().await;
            eprintln!("migrations applied");
            Ok(())
        }
        Command::Org { command } => {
            let state = prepare_state(settings, Arc::new(SystemClock), None).await?;
            let OrgCommand::Create { name, slug, kind } = command;
            let organisation = crate::organisations::service::create(
                &state,
                &cli_meta(&state),
                &name,
                &slug,
                &kind,
            )
            .await?;
            println!("{}", organisation.slug);
            Ok(())
        }
        Command::User { command } => {
            let state = prepare_state(settings, Arc::new(SystemClock), None).await?;
            let UserCommand::Create {
                email,
                name,
                org,
                role,
                password_stdin,
                platform_admin,
            } = command;
            create_user(
                &state,
                &email,
                &name,
                org.zip(role),
                password_stdin,
                platform_admin,
            )
            .await
        }
        Command::Effects { command } => {
            let EffectsCommand::Estimate {
                series,
                tasks,
                out,
                method,
                workers,
            } = command;
            let method = match method.as_str() {
                "structural" => koers_effects::Method::Structural,
                "segmented" => koers_effects::Method::Segmented,
                "newey_west" => koers_effects::Method::NeweyWest,
                other => {
                    return Err(Error::Unexpected(format!(
                        "method `{other}` is not structural, segmented or newey_west"
                    )));
                }
            };
            let open = |path: &PathBuf| {
                std::fs::File::open(path)
                    .map_err(|e| Error::Unexpected(format!("cannot read {}: {e}", path.display())))
            };
            let workers = workers.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
            });
            let outcomes = crate::effects::batch::estimate_all(
                open(&series)?,
                open(&tasks)?,
                method,
                workers,
            )?;
            let file = std::fs::File::create(&out)
                .map_err(|e| Error::Unexpected(format!("cannot write {}: {e}", out.display())))?;
            crate::effects::batch::write(&outcomes, std::io::BufWriter::new(file))?;
            let refused = outcomes.iter().filter(|o| o.result.is_err()).count();
            println!(
                "{} estimates, {refused} refused, written to {}",
                outcomes.len() - refused,
                out.display()
            );
            Ok(())
        }
        Command::Import { command } => {
            let state = prepare_state(settings, Arc::new(SystemClock), None).await?;
            let ImportCommand::Measurements { file, org, dry_run } = command;
            let bytes = std::fs::read(&file)
                .map_err(|e| Error::Unexpected(format!("cannot read {}: {e}", file.display())))?;
            let organisation = state.store().organisation_by_slug(&org).await?;
            let meta = AuditMeta {
                organisation_id: Some(organisation.id),
                ..cli_meta(&state)
            };
            let report = crate::indicators::import::import(
                &state,
                &meta,
                organisation.id,
                &bytes,
                dry_run,
                |_| true,
            )
            .await?;
            println!(
                "{}rows {}, created {}, updated {}, unchanged {}",
                if report.dry_run { "dry run: " } else { "" },
                report.rows,
                report.created,
                report.updated,
                report.unchanged
            );
            Ok(())
        }
        Command::Backup { org, all, file } => {
            let state = prepare_state(settings, Arc::new(SystemClock), None).await?;
            if all {
                crate::backup::service::backup_all(state.store(), &file).await?;
            } else {
                let slug = org.unwrap_or_default();
                let archive = crate::backup::service::backup(state.store(), &slug).await?;
                write_new(&file, &crate::backup::service::to_bytes(&archive)?)?;
            }
            eprintln!("written to {}", file.display());
            Ok(())
        }
        Command::Restore { file, slug } => {
            let state = prepare_state(settings, Arc::new(SystemClock), None).await?;
            let bytes = std::fs::read(&file)
                .map_err(|e| Error::Unexpected(format!("cannot read {}: {e}", file.display())))?;
            let archive = crate::backup::service::from_bytes(&bytes)?;
            let organisation = crate::backup::service::restore(
                state.store(),
                &cli_meta(&state),
                &archive,
                slug.as_deref(),
            )
            .await?;
            let restored = state.store().organisation(organisation).await?;
            println!("{}", restored.slug);
            Ok(())
        }
        Command::Export { org, format, file } => {
            let state = prepare_state(settings, Arc::new(SystemClock), None).await?;
            if format != "xlsx" {
                return Err(Error::invalid("format", "unknown_choice"));
            }
            let organisation = state.store().organisation_by_slug(&org).await?;
            let bytes = crate::backup::export::workbook(state.store(), organisation.id).await?;
            write_new(&file, &bytes)?;
            eprintln!("written to {}", file.display());
            Ok(())
        }
        Command::Token { command } => {
            let state = prepare_state(settings, Arc::new(SystemClock), None).await?;
            let TokenCommand::Create {
                org,
                user,
                name,
                expires_in_days,
                access,
                modules,
            } = command;
            let actor = member_actor(&state, &org, &user).await?;
            let input = crate::tokens::NewTokenInput {
                name: Some(name),
                expires_in_days,
                access: Some(access),
                modules: Some(modules),
            };
            let created = crate::tokens::service::create(&state, &actor, &input).await?;
            println!("{}", created.secret);
            Ok(())
        }
    }
}

/// Writes a file that must not exist yet: a backup never overwrites. Only
/// the owner may read it (it holds personal data and password hashes).
fn write_new(file: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options
        .open(file)
        .map_err(|e| Error::Unexpected(format!("cannot create {}: {e}", file.display())))?;
    out.write_all(bytes)
        .and_then(|()| out.sync_all())
        .map_err(|e| Error::Unexpected(format!("cannot write {}: {e}", file.display())))
}

fn cli_meta(state: &AppState) -> AuditMeta {
    AuditMeta {
        organisation_id: None,
        actor_user_id: None,
        actor_label: "cli".to_owned(),
        client_address: None,
        at: state.clock().now(),
    }
}

/// The member `email` of organisation `slug`, as an actor.
async fn member_actor(state: &AppState, slug: &str, email: &str) -> Result<crate::auth::Actor> {
    let organisation = state.store().organisation_by_slug(slug).await?;
    let email = Email::parse(email).map_err(|code| Error::invalid("user", code))?;
    let user = state
        .store()
        .user_id_by_email(&email)
        .await?
        .ok_or(Error::NotFound)?;
    let member = state.store().member(organisation.id, user).await?;
    if !member.active {
        return Err(Error::conflict("user", "inactive_member"));
    }
    Ok(crate::auth::Actor {
        user_id: member.id,
        organisation_id: organisation.id,
        role: member.role,
        label: member.email,
        locale: member.locale,
        is_platform_admin: false,
        client_address: None,
    })
}

async fn create_user(
    state: &AppState,
    email: &str,
    name: &str,
    membership: Option<(String, String)>,
    password_stdin: bool,
    platform_admin: bool,
) -> Result<()> {
    let mut v = crate::domain::Validator::new();
    let email = v.check("email", Email::parse(email));
    let name = v.check("name", Name::parse(name));
    let password = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Error::Unexpected(format!("reading the password: {e}")))?;
        v.check(
            "password",
            Password::parse(line.trim_end_matches(['\r', '\n'])),
        )
    } else {
        None
    };
    let role = match &membership {
        Some((_, role)) => v.check("role", Role::parse(role)),
        None => None,
    };
    let (email, name) = v.finish(email.zip(name))?;
    let hash = match &password {
        Some(password) => {
            Some(crate::auth::password::hash_password(state.settings().hash_cost, password).await?)
        }
        None => None,
    };
    let mut meta = cli_meta(state);
    let user = state
        .store()
        .upsert_platform_user(&meta, &email, &name, hash.as_deref(), platform_admin)
        .await?;
    if let (Some((slug, _)), Some(role)) = (membership, role) {
        let organisation = state.store().organisation_by_slug(&slug).await?;
        meta.organisation_id = Some(organisation.id);
        let member = crate::users::NewMember {
            email: email.clone(),
            name,
            role,
            locale: crate::domain::Locale::Nl,
            password_hash: None,
        };
        state
            .store()
            .add_member(&meta, organisation.id, &member)
            .await?;
    }
    println!("{}", user.0);
    Ok(())
}
