//! Criterion benches of each stage and of the whole pipeline on the bundled example articles:
//! `cargo bench -p whosaid-cli` (see BENCHMARKS.md for corpus-scale figures from `whosaid bench`).

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use whosaid_attribution::attribute;
use whosaid_ner::{recognize, NerModel, NerOptions};
use whosaid_tokenize::Document;

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel)
}

fn articles() -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(repo("examples/articles")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect()
}

fn tokenized(articles: &[(String, String)]) -> Vec<Document> {
    articles.iter().map(|(id, text)| Document::new(id.clone(), text.clone())).collect()
}

fn stages(c: &mut Criterion) {
    let articles = articles();
    let chars: usize = articles.iter().map(|(_, t)| t.chars().count()).sum();
    let model = NerModel::load(repo("models/whosaid-minilm-l4")).expect("the default model loads");
    let options = NerOptions::default();
    let mut with_entities = tokenized(&articles);
    recognize(&model, &mut with_entities, options).unwrap();

    let mut group = c.benchmark_group("examples");
    group.throughput(Throughput::Elements(articles.len() as u64));
    group.bench_function("tokenize", |b| b.iter(|| tokenized(&articles)));
    group.sample_size(20);
    group.bench_function("ner", |b| {
        b.iter_batched(
            || tokenized(&articles),
            |mut docs| recognize(&model, &mut docs, options).unwrap(),
            BatchSize::LargeInput,
        )
    });
    group.sample_size(100);
    group.bench_function("attribution", |b| b.iter(|| with_entities.iter().map(attribute).count()));
    group.sample_size(20);
    group.bench_function("end_to_end", |b| {
        b.iter(|| {
            let mut docs = tokenized(&articles);
            recognize(&model, &mut docs, options).unwrap();
            docs.iter().map(|d| serde_json::to_string(&attribute(d)).unwrap().len()).sum::<usize>()
        })
    });
    group.finish();
    eprintln!("({} articles, {chars} characters, 1 libtorch thread)", articles.len());
}

criterion_group!(benches, stages);
criterion_main!(benches);
