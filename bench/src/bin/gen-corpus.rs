//! `gen-corpus DIR [N]`: writes the performance corpus of `N` documents (default 2,000) into `DIR`.

use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage: gen-corpus DIR [N]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, count) = match args.as_slice() {
        [dir] => (dir, 2000),
        [dir, count] => match count.parse::<usize>() {
            Ok(count) if count > 0 => (dir, count),
            _ => {
                eprintln!("gen-corpus: N must be a positive number, not '{count}'\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let corpus = milepost_bench::generate(count);
    for doc in &corpus.docs {
        let path = Path::new(dir).join(&doc.path);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, &doc.text));
        if let Err(error) = written {
            eprintln!("gen-corpus: cannot write {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    println!(
        "{} documents, {} bytes in {dir}",
        corpus.docs.len(),
        corpus.total_bytes()
    );
    ExitCode::SUCCESS
}
