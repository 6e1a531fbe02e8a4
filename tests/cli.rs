//! The command line contract: one line per input document in order, error records, exit codes.

mod common;

use common::{lines, repo, run_with_stdin, whosaid};

fn quote<'a>(doc: &'a serde_json::Value, fragment: &str) -> &'a serde_json::Value {
    doc["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"].as_str().unwrap().contains(fragment))
        .unwrap_or_else(|| panic!("no quotation containing {fragment:?} in {doc}"))
}

#[test]
fn attributes_the_bundled_examples() {
    let out = whosaid().arg("attribute").arg(repo("examples/articles")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let docs = lines(&out);
    assert_eq!(
        docs.iter().map(|d| d["id"].as_str().unwrap()).collect::<Vec<_>>(),
        ["01_harbor_bridge", "02_trade_talks"]
    );
    let bridge = &docs[0];
    assert_eq!(quote(bridge, "forty thousand people")["speaker"]["name"], "Elena Vasquez");
    assert_eq!(quote(bridge, "forty thousand people")["kind"], "direct");
    assert_eq!(quote(bridge, "same conversation")["speaker"]["name"], "David Okafor");
    assert_eq!(quote(bridge, "I hope I'm wrong")["speaker"]["name"], "David Okafor");
    assert_eq!(quote(bridge, "throwing good money")["kind"], "indirect");
    let trade = &docs[1];
    assert_eq!(quote(trade, "real progress")["kind"], "mixed");
    assert_eq!(quote(trade, "real progress")["speaker"]["name"], "Johan Berg");
    assert_eq!(quote(trade, "patience has limits")["speaker"]["name"], "Amara Diallo");
    let speakers = trade["speakers"].as_array().unwrap();
    assert!(speakers.iter().any(|s| s["name"] == "Johan Berg" && s["quotes"].as_u64().unwrap() >= 2));
}

#[test]
fn bad_lines_become_error_records_in_order() {
    let input = b"{\"id\": \"a\", \"text\": \"\\\"We will rebuild the bridge,\\\" Mayor Ann Lee said.\", \"source\": \"wire\"}\n\
not json\n{\"id\": \"c\"}\n{\"id\": \"d\", \"text\": 7}\n{\"id\": \"e\", \"text\": \"   \"}\n";
    let out = run_with_stdin(whosaid().arg("attribute"), input);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let docs = lines(&out);
    assert_eq!(docs.len(), 5);
    assert_eq!(docs[0]["id"], "a");
    assert_eq!(docs[0]["meta"]["source"], "wire");
    assert_eq!(quote(&docs[0], "rebuild the bridge")["speaker"]["name"], "Ann Lee");
    assert_eq!(docs[1]["error"]["kind"], "malformed_json");
    assert_eq!(docs[2]["error"]["kind"], "missing_text");
    assert_eq!(docs[3]["error"]["kind"], "bad_text");
    assert_eq!(docs[4]["id"], "e");
    assert_eq!(docs[4]["quotes"].as_array().unwrap().len(), 0);
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 of 5 documents failed"));
}

/// The resolved-speaker fixture points at real polnear-dev gold records, and `eval
/// --resolved` scores names by surname over the quotations the output matches.
#[test]
fn resolved_speaker_fixture_fits_the_gold_and_is_scored() {
    let fixture = repo("tests/fixtures/polnear-dev-resolved-speakers.jsonl");
    let gold_text = std::fs::read_to_string(common::shared("fixtures/polnear-dev/gold.jsonl")).unwrap();
    let gold: std::collections::HashSet<(String, u64, u64, String)> = gold_text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|g| {
            let key = |k: &str| g[k].as_str().unwrap().to_string();
            (key("doc"), g["start"].as_u64().unwrap(), g["end"].as_u64().unwrap(), key("kind"))
        })
        .collect();
    let records: Vec<serde_json::Value> =
        std::fs::read_to_string(&fixture).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(records.len() >= 150, "{} records", records.len());
    for r in &records {
        let key = (
            r["doc"].as_str().unwrap().to_string(),
            r["start"].as_u64().unwrap(),
            r["end"].as_u64().unwrap(),
            r["kind"].as_str().unwrap().to_string(),
        );
        assert!(gold.contains(&key), "not a polnear-dev gold record: {r}");
        assert!(matches!(r["mention"].as_str(), Some("pronoun" | "description")), "{r}");
    }

    // A hand-written output for the first two records: one named right, one wrong.
    let dir = std::env::temp_dir().join(format!("whosaid-resolved-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b) = (&records[0], &records[1]);
    let quote = |r: &serde_json::Value, name: &str| serde_json::json!({"start": r["start"], "end": r["end"], "kind": r["kind"], "speaker": {"name": name}});
    let right = format!("Dr. {}", a["name"].as_str().unwrap().split(' ').next_back().unwrap());
    let mut quotes: std::collections::BTreeMap<String, Vec<serde_json::Value>> = Default::default();
    quotes.entry(a["doc"].as_str().unwrap().into()).or_default().push(quote(a, &right));
    quotes.entry(b["doc"].as_str().unwrap().into()).or_default().push(quote(b, "Nobody Inparticular"));
    let output: String =
        quotes.iter().map(|(id, q)| serde_json::json!({"id": id, "quotes": q}).to_string() + "\n").collect();
    let out_path = dir.join("out.jsonl");
    std::fs::write(&out_path, output).unwrap();
    let out = whosaid()
        .arg("eval")
        .arg(&out_path)
        .arg("--gold")
        .arg(common::shared("fixtures/polnear-dev/gold.jsonl"))
        .arg("--resolved")
        .arg(&fixture)
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let resolved = &report["resolved"];
    assert_eq!(resolved["items"].as_u64().unwrap() as usize, records.len());
    assert_eq!((resolved["matched"].as_u64(), resolved["right"].as_u64()), (Some(2), Some(1)));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn attribute_help_names_every_error_kind() {
    let out = whosaid().args(["attribute", "--help"]).output().unwrap();
    assert!(out.status.success());
    // clap rewraps the text: compare with the whitespace squeezed out of both.
    let help: String = String::from_utf8_lossy(&out.stdout).split_whitespace().collect();
    for kind in whosaid_wire::ErrorKind::ALL {
        assert!(help.contains(kind.as_str()), "--help does not name the error kind {}", kind.as_str());
    }
}

/// `--with-features` writes what `scripts/train_scorer.py` learns from: each quotation's
/// scorer features and each quoted span's speaker candidates (the chosen speaker among
/// them); `eval --outcomes` says which candidates would be right.
#[test]
fn features_and_speaker_candidates_for_training_the_scorer() {
    let dir = std::env::temp_dir().join(format!("whosaid-cli-features-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let output = dir.join("out.jsonl");
    let outcomes = dir.join("outcomes.jsonl");
    let out = whosaid()
        .args(["eval", "--with-features", "--save-output"])
        .arg(&output)
        .arg("--outcomes")
        .arg(&outcomes)
        .arg(common::shared("fixtures/seeds"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let docs: Vec<serde_json::Value> =
        std::fs::read_to_string(&output).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let quotes: Vec<&serde_json::Value> = docs.iter().flat_map(|d| d["quotes"].as_array().unwrap()).collect();
    let quoted: Vec<&&serde_json::Value> = quotes.iter().filter(|q| q["kind"] != "indirect").collect();
    assert!(!quoted.is_empty());
    for q in &quotes {
        assert!(!q["features"].as_array().unwrap().is_empty());
    }
    for q in &quoted {
        let candidates = q["candidates"].as_array().unwrap();
        if let Some(speaker) = q["speaker"].as_object() {
            assert!(candidates.iter().any(|c| c["speaker"]["start"] == speaker["start"]), "{q}");
        }
    }
    // Some quoted spans have rivals to choose from, and the outcomes say which are right.
    assert!(quoted.iter().any(|q| q["candidates"].as_array().unwrap().len() > 1));
    let labelled = std::fs::read_to_string(&outcomes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|o| o["candidates_right"].is_array())
        .count();
    assert!(labelled * 2 > quoted.len(), "{labelled} of {} quoted spans labelled", quoted.len());
    std::fs::remove_dir_all(&dir).ok();
}

/// `whosaid` reads a GUM CoNLL-U file as its documents, with the running text
/// `scripts/gum_docs.py` rebuilds (the out-of-domain fixture's offsets index it), and the
/// fixture's records lie in that text.
#[test]
fn gum_conllu_text_is_the_fixtures_text() {
    let conllu = common::shared("data/coref/gum/conllu");
    let script = std::process::Command::new("python3")
        .arg(repo("scripts/gum_docs.py"))
        .arg(&conllu)
        .output()
        .expect("python3 runs scripts/gum_docs.py");
    assert!(script.status.success(), "{}", String::from_utf8_lossy(&script.stderr));
    let texts: std::collections::HashMap<String, String> = String::from_utf8(script.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|d| (d["id"].as_str().unwrap().to_string(), d["text"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(texts.len(), 43, "24 news and 19 interview documents");
    // whosaid's own reading of two of the files (one news, one interview, with turns).
    for name in ["GUM_news_iodine", "GUM_interview_hill"] {
        let out = whosaid().args(["entities", "--fast"]).arg(conllu.join(format!("{name}.conllu"))).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let docs = lines(&out);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0]["id"], name);
        // Entities index the text: each one's text is the rebuilt text's slice.
        let chars: Vec<char> = texts[name].chars().collect();
        for e in docs[0]["entities"].as_array().unwrap() {
            let (s, t) = (e["start"].as_u64().unwrap() as usize, e["end"].as_u64().unwrap() as usize);
            assert_eq!(chars[s..t].iter().collect::<String>(), e["text"].as_str().unwrap());
        }
        assert!(docs[0]["entities"].as_array().unwrap().len() > 5);
    }
    assert!(texts["GUM_interview_hill"].contains("\n\nChristopher Hill: "));
    let fixture = std::fs::read_to_string(repo("tests/fixtures/gum-news-interview-quotes.jsonl")).unwrap();
    let mut core = 0;
    for line in fixture.lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        let text: Vec<char> = texts[r["doc"].as_str().unwrap()].chars().collect();
        let (s, e) = (r["start"].as_u64().unwrap() as usize, r["end"].as_u64().unwrap() as usize);
        assert!(s < e && e <= text.len(), "{r}");
        let quoted: String = text[s..e].iter().collect();
        assert_eq!(quoted.trim(), quoted, "no whitespace at the edges: {r}");
        core += usize::from(r["core"].as_bool().unwrap_or(true));
    }
    assert!(core >= 480, "{core} core records");
}

/// `eval-coref` scores GAP rows and GUM documents, with and without the trained resolver.
#[test]
fn eval_coref_scores_gap_and_gum() {
    let dir = std::env::temp_dir().join(format!("whosaid-gap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gap = std::fs::read_to_string(common::shared("data/coref/gap/gap-validation.tsv")).unwrap();
    let small: String = gap.lines().take(41).map(|l| format!("{l}\n")).collect();
    let path = dir.join("gap.tsv");
    std::fs::write(&path, small).unwrap();
    for flags in [&[][..], &["--coref-rules"][..]] {
        let out = whosaid().arg("eval-coref").arg("--gap").arg(&path).arg("--json").args(flags).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(s["rows"], 40);
        for key in ["overall", "masculine", "feminine"] {
            let f1 = s[key]["f1"].as_f64().unwrap();
            assert!((0.2..=1.0).contains(&f1), "{key} {f1}");
        }
        assert!(s["bias"].as_f64().unwrap() > 0.0);
    }
    let out = whosaid()
        .arg("eval-coref")
        .arg("--gum")
        .arg(common::shared("data/coref/gum/conllu/GUM_bio_byron.conllu"))
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(s["overall"]["total"].as_u64().unwrap() > 10, "{s}");
    std::fs::remove_dir_all(&dir).ok();
}

/// The newsroom conventions of the speakers issue, end to end with the default model (its
/// NER, role head, speaker ranker, resolver and scorer), each in a document of its own.
#[test]
fn speakers_by_name_in_other_newsrooms_conventions() {
    let docs = [
        ("ministry", "Shares of Apple fell 3 percent on Tuesday after the company reported weak sales.\n\nThe Iranian foreign ministry said in a statement that the talks had been constructive."),
        ("continuation", "\"We will keep fighting,\" Councillor Sarah Ellison said. \"Nobody should doubt it.\" Councillor Mark Holloway said he disagreed with the plan."),
        ("paragraph", "The mayor, Robert Chen, spoke to reporters on Monday.\n\n\"We will appeal this decision, and we will win.\""),
        ("gender", "Svetlana Ivanova met Sergey Lavrov in Geneva on Friday. She said the talks had been long and difficult.\n\n\"Nothing has changed,\" he said."),
        ("british", "'We will not back down on the cuts,' he said. The union leader, Priya Natarajan, spoke in Leeds on Monday.\n\n'The cuts are wrong and we will fight them,' Natarajan said."),
        ("transcript", "The interview was broadcast on Sunday.\n\nDANA REYES: Governor, will you sign the bill this week?\n\nGOV. TOM BRADLEY (R), OHIO: I will sign it on Monday morning.\n\nREYES: And if the House rejects it?"),
        ("dash", "Voters gave their views on the new roads.\n\n\"The roads are a disgrace and nobody fixes them.\" - Ivan Petrov, campaign manager"),
        ("caption", "Foreign Minister Sergey Lavrov met his counterpart on Tuesday.\n\n\"We found no common ground at all,\" Lavrov said.\n\nFile photo of Iran's supreme leader Ayatollah Ali Khamenei (Photo: Reuters)\n\n\"It was a waste of a day,\" he said after the talks."),
        ("according", "According to the Ministry of Defence, the military exercise will end on Friday."),
        ("acronym", "Immigration, Refugees and Citizenship Canada (IRCC) reviewed the files in March.\n\nIRCC said the delays would end by the summer."),
    ];
    let input: String =
        docs.iter().map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string() + "\n").collect();
    let out = common::run_with_stdin(whosaid().arg("attribute"), input.as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let results = lines(&out);
    let doc = |id: &str| results.iter().find(|d| d["id"] == id).unwrap();
    let speaker_of = |id: &str, fragment: &str| -> String {
        let d = doc(id);
        let q = quote(d, fragment);
        q["speaker"]["name"].as_str().unwrap_or("").to_string()
    };
    assert_ne!(speaker_of("ministry", "talks had been constructive"), "Apple");
    assert_eq!(speaker_of("continuation", "Nobody should doubt it"), "Sarah Ellison");
    assert_eq!(speaker_of("paragraph", "appeal this decision"), "Robert Chen");
    assert_eq!(speaker_of("gender", "Nothing has changed"), "Sergey Lavrov");
    let british = doc("british")["quotes"].as_array().unwrap();
    assert_eq!(british.iter().filter(|q| q["text"].as_str().unwrap().contains("back down")).count(), 1);
    assert_eq!(speaker_of("british", "cuts are wrong"), "Priya Natarajan");
    assert_eq!(speaker_of("transcript", "sign the bill"), "Dana Reyes");
    assert_eq!(quote(doc("transcript"), "sign the bill")["kind"], "direct");
    assert_eq!(speaker_of("transcript", "Monday morning"), "Tom Bradley");
    assert_eq!(speaker_of("transcript", "House rejects it"), "Dana Reyes");
    assert_eq!(speaker_of("dash", "roads are a disgrace"), "Ivan Petrov");
    assert_eq!(speaker_of("caption", "waste of a day"), "Sergey Lavrov");
    assert_eq!(speaker_of("according", "exercise will end"), "Ministry of Defence");
    assert_eq!(speaker_of("acronym", "delays would end"), "Immigration, Refugees and Citizenship Canada");
}

#[test]
fn each_subcommand_help_lists_only_its_own_flags() {
    let help = |cmd: &str| String::from_utf8(whosaid().args([cmd, "--help"]).output().unwrap().stdout).unwrap();
    let attribute = help("attribute");
    for flag in ["--reported", "--no-scorer", "--coref-rules", "--entities", "--resume", "--model", "--backend"] {
        assert!(attribute.contains(flag), "attribute --help lacks {flag}");
    }
    for cmd in ["entities", "eval-ner", "eval-roles"] {
        let text = help(cmd);
        assert!(text.contains("--model") && text.contains("--backend"), "{cmd} --help lacks the model flags");
        for flag in ["--reported", "--no-scorer", "--no-ranker", "--coref-rules", "--with-features", "--entities"] {
            assert!(!text.contains(flag), "{cmd} --help lists the attribution flag {flag}");
        }
    }
}

#[test]
fn zero_and_contradictory_flags_are_refused() {
    let refused = |args: &[&str]| {
        let out = whosaid().args(args).stdin(std::process::Stdio::null()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?} was accepted");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    for flag in ["--threads", "--chunk", "--batch-size", "--max-chars"] {
        assert!(refused(&["attribute", flag, "0"]).contains("at least 1"), "{flag} 0");
    }
    assert!(refused(&["bench", "x", "--threads", "1,0"]).contains("at least 1"));
    assert!(refused(&["attribute", "--fast", "--reported", "roles"]).contains("role head"));
    refused(&["attribute", "--no-scorer", "--no-ranker"]);
    refused(&["attribute", "--force-resume"]);
}

/// `--entities` skips the model, so a role-head model's reported speech, scorer and resolver
/// states are unused: refused unless the run asks for the rules' reported speech.
#[test]
fn reused_entities_say_what_they_turn_off() {
    let dir = std::env::temp_dir().join(format!("whosaid-entities-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = b"\"We will win,\" Putin said in Moscow.";
    let entities = run_with_stdin(whosaid().arg("entities"), text);
    assert!(entities.status.success());
    let file = dir.join("entities.jsonl");
    std::fs::write(&file, &entities.stdout).unwrap();
    let refused = run_with_stdin(whosaid().arg("attribute").arg("--entities").arg(&file), text);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--reported rules"));
    let taken = run_with_stdin(whosaid().args(["attribute", "--reported", "rules", "--entities"]).arg(&file), text);
    assert!(taken.status.success());
    assert!(String::from_utf8_lossy(&taken.stderr).contains("role head and scorer are unused"));
    assert_eq!(quote(&lines(&taken)[0], "We will win")["speaker"]["name"], "Putin");
    std::fs::remove_dir_all(&dir).ok();
}

/// A copy of the binary elsewhere finds its models by the documented search order: next to
/// the executable first, then $WHOSAID_MODELS; from any working directory.
#[test]
fn a_copied_binary_finds_its_models() {
    let dir = std::env::temp_dir().join(format!("whosaid-portable-{}", std::process::id()));
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_whosaid"), bin.join("whosaid")).unwrap();
    let input = dir.join("one.txt");
    std::fs::write(&input, "\"We will win,\" Putin said.").unwrap();
    let model_dir_of = |env: Option<&std::path::Path>| {
        let out = dir.join("out.jsonl");
        let mut cmd = std::process::Command::new(bin.join("whosaid"));
        cmd.current_dir("/").env_remove("WHOSAID_MODEL").env_remove("WHOSAID_MODELS");
        if let Some(models) = env {
            cmd.env("WHOSAID_MODELS", models);
        }
        let status = cmd.arg("attribute").arg(&input).arg("-o").arg(&out).status().unwrap();
        assert!(status.success());
        let record: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("out.jsonl.run.json")).unwrap()).unwrap();
        std::path::PathBuf::from(record["model"]["dir"].as_str().unwrap())
    };
    // $WHOSAID_MODELS comes before the checkout...
    let elsewhere = dir.join("elsewhere");
    std::os::unix::fs::symlink(repo("models"), &elsewhere).unwrap();
    assert!(model_dir_of(Some(&elsewhere)).starts_with(&elsewhere));
    // ...and models/ next to the executable before both.
    std::os::unix::fs::symlink(repo("models"), bin.join("models")).unwrap();
    assert!(model_dir_of(Some(&elsewhere)).starts_with(bin.join("models")));
    std::fs::remove_dir_all(&dir).ok();
}

/// `whosaid bench --compare ... --rounds N --json` carries what someone comparing models needs:
/// the machine and libraries, and per configuration the spread over rounds, the cold start,
/// latency percentiles and peak RSS; a batch size that cannot matter is said, not rerun.
#[test]
fn bench_compares_configurations_in_rounds_as_json() {
    let out = whosaid()
        .arg("bench")
        .arg(common::shared("fixtures/seeds"))
        .args(["--compare", "", "--fast", "--rounds", "2", "--latency-docs", "2", "--batch-sizes", "8,32", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let machine = &report["machine"];
    for key in ["cpu", "cpu_flags", "cores", "onnxruntime", "libtorch", "whosaid", "commit", "date"] {
        assert!(machine.get(key).is_some(), "machine.{key} is missing: {machine}");
    }
    assert!(machine["cores"].as_u64().unwrap() >= 1 && machine["date"].as_str().unwrap().ends_with('Z'));
    let configs = report["configurations"].as_array().unwrap();
    let flags: Vec<&str> = configs.iter().map(|c| c["flags"].as_str().unwrap()).collect();
    assert_eq!(flags, ["", "--fast"], "int8 measured at one batch size only");
    for c in configs {
        for spread in ["documents_per_s", "wordpieces_per_s", "cold_start_s"] {
            let s = &c[spread];
            let (min, median, max) =
                (s["min"].as_f64().unwrap(), s["median"].as_f64().unwrap(), s["max"].as_f64().unwrap());
            assert!(0.0 < min && min <= median && median <= max, "{spread}: {s}");
        }
        let latency = &c["latency_ms"];
        assert!(latency["p50"].as_f64().unwrap() <= latency["p99"].as_f64().unwrap());
        assert!(c["peak_rss_mib"].as_f64().unwrap() > 10.0);
        assert_eq!(c["rounds"].as_array().unwrap().len(), 2);
        assert_eq!(c["documents"], 3);
    }
    let notes = report["notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| n.as_str().unwrap().contains("batch size has no effect")), "{notes:?}");
}

#[test]
fn eval_roles_lists_the_paragraphs_whose_spans_differ() {
    let dir = std::env::temp_dir().join(format!("whosaid-eval-roles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let articles = dir.join("articles.jsonl");
    // The second article's gold calls "Rain" a cue: no tagger agrees, so it is listed.
    let lines = [
        serde_json::json!({"id": "bridge", "text": "The mayor said the bridge would reopen in May.",
            "attributions": [{"source": [[0, 9]], "cue": [[10, 14]], "content": [[15, 45]]}]}),
        serde_json::json!({"id": "rain", "text": "Rain is expected on Tuesday.",
            "attributions": [{"cue": [[0, 4]], "content": [[5, 27]]}]}),
    ];
    std::fs::write(&articles, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let errors = dir.join("errors.jsonl");
    let out = whosaid().arg("eval-roles").arg(&articles).arg("--errors").arg(&errors).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed: Vec<serde_json::Value> = std::fs::read_to_string(&errors)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON lines"))
        .collect();
    assert!(listed.iter().any(|e| e["id"] == "rain" && e["role"] == "CUE" && e["gold"] == serde_json::json!([[0, 1]])));
    for e in &listed {
        assert_ne!(e["gold"], e["predicted"], "{e}");
        assert!(e["words"].as_array().is_some_and(|w| !w.is_empty()) && e["paragraph"] == 0, "{e}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
