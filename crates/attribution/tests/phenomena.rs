//! One test per attribution phenomenon, on short texts written for these tests. Entities are
//! given by hand (every occurrence of the listed names), so the attribution logic is tested
//! apart from the NER model.

mod common;

use common::{find, ranker_weighing, run, speaker, tag_roles};
use whosaid_attribution::{attribute, Quotation, QuoteKind};

#[test]
fn direct_quote_with_cue_after_before_and_inverted() {
    let (_, a) = run(
        "\"We had a frank discussion,\" Pompeo said.\n\nLavrov told reporters: \"We disagree on Venezuela.\"\n\n\"It was useful,\" said Sergey Lavrov.",
        &["Sergey Lavrov", "Pompeo", "Lavrov"],
        &[],
    );
    let q = find(&a, "frank discussion");
    assert_eq!(q.kind, QuoteKind::Direct);
    assert_eq!(q.speaker.as_ref().unwrap().text, "Pompeo");
    assert_eq!(q.cue.as_ref().unwrap().text, "said");
    assert_eq!(speaker(&a, "disagree on Venezuela"), "Sergey Lavrov");
    assert_eq!(speaker(&a, "It was useful"), "Sergey Lavrov");
}

#[test]
fn mixed_quote_inside_reported_speech() {
    let (_, a) = run(
        "Lavrov said Russia was trying to understand the \"real intentions\" of the new government.",
        &["Lavrov"],
        &[],
    );
    let q = find(&a, "real intentions");
    assert_eq!(q.kind, QuoteKind::Mixed);
    assert_eq!(speaker(&a, "real intentions"), "Lavrov");
}

#[test]
fn indirect_speech_forms() {
    let (_, a) = run(
        "Lavrov says Russia thinks the sanctions are illegal. Mike Pompeo told reporters that the talks had been productive. \
         According to Pompeo, the two sides will meet again in June. Lavrov warned that any strike would be a grave mistake. \
         The embassy will reopen next month, Pompeo said on Tuesday.",
        &["Mike Pompeo", "Lavrov", "Pompeo"],
        &[],
    );
    let indirect = |frag: &str| {
        let q = find(&a, frag);
        assert_eq!(q.kind, QuoteKind::Indirect, "{frag}");
        q.speaker.as_ref().unwrap().name.clone()
    };
    assert_eq!(indirect("Russia thinks the sanctions are illegal"), "Lavrov");
    assert_eq!(find(&a, "talks had been productive").text, "the talks had been productive");
    assert_eq!(indirect("talks had been productive"), "Mike Pompeo");
    assert_eq!(indirect("two sides will meet again"), "Mike Pompeo");
    assert_eq!(indirect("any strike would be a grave mistake"), "Lavrov");
    assert_eq!(indirect("embassy will reopen next month"), "Mike Pompeo");
}

#[test]
fn cues_in_all_tenses_and_forms() {
    let (_, a) = run(
        "Trump writes: \"The deal is dead.\"\n\nHe tweeted that the press was unfair.\n\n\
         \"We will win,\" Trump added, adding: \"Believe me.\"\n\n\
         In a statement, the White House said the visit was cancelled.",
        &["Trump"],
        &["White House"],
    );
    assert_eq!(speaker(&a, "The deal is dead"), "Trump");
    assert_eq!(speaker(&a, "press was unfair"), "Trump");
    assert_eq!(speaker(&a, "We will win"), "Trump");
    assert_eq!(speaker(&a, "Believe me"), "Trump");
    assert_eq!(speaker(&a, "visit was cancelled"), "White House");
}

#[test]
fn a_noun_form_cue_opening_a_sentence_after_a_name_is_a_verb() {
    // "claims" and "notes" are mostly nouns; after a name that opens the sentence (over
    // "also") and before a clause they report one. A sentence opening with a common noun
    // does not make them verbs.
    let (_, a) = run(
        "Dana Marsh spent twelve years on the ship.\n\n\
         Marsh claims she was sent to the ship at eighteen.\n\n\
         Marsh also claims that her passport was taken away.\n\n\
         Insurance claims that were denied rose by a third.",
        &["Dana Marsh", "Marsh"],
        &[],
    );
    assert_eq!(speaker(&a, "she was sent to the ship"), "Dana Marsh");
    assert_eq!(speaker(&a, "her passport was taken"), "Dana Marsh");
    assert!(a.quotes.iter().all(|q| !q.text.contains("were denied")), "{:#?}", a.quotes);
}

#[test]
fn an_admission_is_reported_by_its_own_subject_past_a_phrase() {
    // "admitted" (not "admited") is a cue; the addressee of "told" ends at its comma, so
    // "he admitted ..." is not what Ms. Adler told; "under questioning" stands between the
    // cue and its clause.
    let (_, a) = run(
        "Ms. Adler questioned the bank's chief, Mr. Ward, for an hour.\n\n\
         \"Resign,\" Adler told Ward, after he admitted under questioning he had not been held accountable.",
        &["Adler", "Ward"],
        &[],
    );
    let q = find(&a, "had not been held accountable");
    assert_eq!(q.text, "he had not been held accountable");
    assert_eq!(q.cue.as_ref().unwrap().text, "admitted");
    assert_eq!(speaker(&a, "had not been held accountable"), "Ward");
    assert!(!a.quotes.iter().any(|q| q.text.starts_with("he admitted")));
}

#[test]
fn titles_appositives_and_descriptions() {
    let (_, a) = run(
        "\"Iran must change course,\" said US Iran envoy Brian Hook.\n\n\
         Trump's former lawyer, Michael Cohen, said he had lied to Congress.\n\n\
         Attorney General William Barr released the report on Thursday. \
         The attorney general says the report is complete.\n\n\
         \"Nobody is above the law,\" a Justice Department spokesman said.",
        &["Brian Hook", "Michael Cohen", "William Barr", "Trump"],
        &["Justice Department"],
    );
    assert_eq!(speaker(&a, "Iran must change course"), "Brian Hook");
    assert_eq!(speaker(&a, "he had lied to Congress"), "Michael Cohen");
    let q = find(&a, "report is complete");
    assert_eq!(q.speaker.as_ref().unwrap().name, "William Barr");
    assert_eq!(q.speaker.as_ref().unwrap().text, "The attorney general");
    let s = find(&a, "above the law").speaker.clone().unwrap();
    assert_eq!(s.text, "a Justice Department spokesman");
}

#[test]
fn name_clusters_and_generational_suffixes() {
    let (_, a) = run(
        "Secretary of State Mike Pompeo arrived in Sochi. \"We want better relations,\" Pompeo said.\n\n\
         Donald Trump Jr. said the meeting was a mistake. Donald Trump said it was a great success.\n\n\
         \"I regret nothing,\" Trump Jr. said.",
        &["Mike Pompeo", "Donald Trump Jr.", "Donald Trump", "Trump Jr.", "Pompeo"],
        &[],
    );
    assert_eq!(speaker(&a, "better relations"), "Mike Pompeo");
    assert_eq!(speaker(&a, "meeting was a mistake"), "Donald Trump Jr.");
    assert_eq!(speaker(&a, "great success"), "Donald Trump");
    assert_eq!(speaker(&a, "I regret nothing"), "Donald Trump Jr.");
}

#[test]
fn pronouns_resolve_by_gender_and_recency() {
    let (_, a) = run(
        "Sally Yates met Mr. James Comey on Monday. \"It was a long meeting,\" she said.\n\n\
         \"We covered everything,\" he added.",
        &["Sally Yates", "James Comey"],
        &[],
    );
    let q = find(&a, "long meeting");
    assert_eq!(q.speaker.as_ref().unwrap().text, "she");
    assert_eq!(q.speaker.as_ref().unwrap().name, "Sally Yates");
    assert_eq!(speaker(&a, "covered everything"), "James Comey");
}

#[test]
fn continuation_inherits_the_speaker() {
    let (_, a) = run(
        "\"Relations are at a low point,\" Putin said after talks with Pompeo. \"I'm hoping the situation is changing.\"\n\n\
         \"We are ready to talk.\"\n\n\
         Pompeo said he was encouraged.",
        &["Putin", "Pompeo"],
        &[],
    );
    assert_eq!(speaker(&a, "low point"), "Putin");
    let q = find(&a, "I'm hoping");
    assert_eq!(q.speaker.as_ref().unwrap().name, "Putin");
    assert!(q.cue.is_none());
    assert_eq!(speaker(&a, "ready to talk"), "Putin");
}

#[test]
fn distractors_stay_distractors() {
    let (_, a) = run(
        "Maduro has \"brought nothing but misery to the Venezuelan people,\" Pompeo told reporters.\n\n\
         \"Lavrov and I agree on very little,\" Pompeo said.",
        &["Maduro", "Pompeo", "Lavrov"],
        &[],
    );
    assert_eq!(speaker(&a, "brought nothing but misery"), "Pompeo");
    assert_eq!(speaker(&a, "agree on very little"), "Pompeo");
}

#[test]
fn multi_paragraph_quotation_keeps_its_speaker() {
    let (_, a) = run(
        "\"Europe has a stake in a stable Middle East,\" said Brian Hook. \"Iran has been threatening attacks.\n\n\
         \"So we are asking Iran to behave like a normal nation.\"",
        &["Brian Hook"],
        &[],
    );
    assert_eq!(speaker(&a, "threatening attacks"), "Brian Hook");
    assert_eq!(speaker(&a, "normal nation"), "Brian Hook");
}

#[test]
fn offsets_are_code_points_of_the_original_text() {
    let text = "“Ça ira — 😀 vraiment,” a dit Pompeo. «Non», said Pompeo.";
    let (doc, a) = run(text, &["Pompeo"], &[]);
    assert!(!a.quotes.is_empty());
    let chars: Vec<char> = text.chars().collect();
    for q in &a.quotes {
        assert_eq!(q.text, chars[q.start..q.end].iter().collect::<String>());
        assert_eq!(doc.slice(whosaid_tokenize::Span::new(q.start, q.end)), q.text);
        if let Some(s) = &q.speaker {
            assert_eq!(s.text, chars[s.start..s.end].iter().collect::<String>());
        }
    }
}

#[test]
fn confidence_ranks_unattributed_quotes_low() {
    let (_, a) = run(
        "The crowd chanted \"build the wall now please\" for an hour.\n\n\"We will win,\" Pompeo said.",
        &["Pompeo"],
        &[],
    );
    let sure = find(&a, "We will win").confidence;
    assert!(sure > 0.8);
    if let Some(q) = a.quotes.iter().find(|q| q.text.contains("build the wall")) {
        assert!(q.confidence < sure);
    }
}

#[test]
fn titles_of_shows_are_not_quotations() {
    let (_, a) = run(
        "Speaking on CNN's \"State of the Union,\" Pompeo said the talks were \"going nowhere fast.\"",
        &["Pompeo"],
        &["CNN"],
    );
    assert!(a.quotes.iter().all(|q| !q.text.contains("State of the Union")), "{:#?}", a.quotes);
    assert_eq!(speaker(&a, "going nowhere fast"), "Pompeo");
}

#[test]
fn a_paragraph_opening_with_a_name_and_colon_reports_the_rest() {
    let (_, a) = run(
        "Harbor Board votes on Tuesday\n\nMaria Chen: The bridge will be finished by spring\n\nNote: the meeting is public.",
        &["Maria Chen"],
        &[],
    );
    let q = find(&a, "bridge will be finished");
    assert_eq!(q.text, "The bridge will be finished by spring");
    assert_eq!(q.kind, QuoteKind::Indirect);
    assert_eq!(speaker(&a, "bridge will be finished"), "Maria Chen");
    assert!(a.quotes.iter().all(|q| !q.text.contains("meeting is public")), "no name before that colon");
}

#[test]
fn a_reported_clause_ends_before_a_joined_clause() {
    let (_, a) = run(
        "Maria Chen said the ferry would run until June, which pleased commuters.\n\n\
         Tom Alder said the toll was fair, but the council voted it down.",
        &["Maria Chen", "Tom Alder"],
        &[],
    );
    assert_eq!(find(&a, "ferry would run").text, "the ferry would run until June");
    assert_eq!(find(&a, "toll was fair").text, "the toll was fair");
}

#[test]
fn a_subject_before_a_long_insert_speaks() {
    let (_, a) = run(
        "Maria Chen, 44, a ferry captain from the north shore, said the crossing was safe.\n\n\
         Harbor pilots, however, said the channel needed dredging.\n\n\
         The tide is late, said Tom Alder.",
        &["Maria Chen", "Tom Alder"],
        &[],
    );
    assert_eq!(speaker(&a, "crossing was safe"), "Maria Chen");
    assert_eq!(find(&a, "channel needed").speaker.as_ref().unwrap().text, "Harbor pilots");
    assert_eq!(speaker(&a, "tide is late"), "Tom Alder", "a name after the cue is still the speaker");
}

#[test]
fn a_relative_pronoun_speaks_for_its_antecedent() {
    let (_, a) = run("Tom Alder, who said the toll was fair, left the meeting early.", &["Tom Alder"], &[]);
    let q = find(&a, "toll was fair");
    assert_eq!(q.text, "the toll was fair", "the relative clause ends at its comma");
    let s = q.speaker.as_ref().unwrap();
    assert_eq!((s.name.as_str(), s.text.as_str()), ("Tom Alder", "who"));
}

#[test]
fn shares_and_surveyed_groups_speak() {
    let (_, a) = run(
        "Sixty-two percent said the bridge should be rebuilt.\n\n\
         Commuters surveyed say the ferry is too slow.\n\n\
         In 2019 said nothing at all about it.",
        &[],
        &[],
    );
    assert_eq!(find(&a, "bridge should be rebuilt").speaker.as_ref().unwrap().text, "Sixty-two percent");
    assert_eq!(find(&a, "ferry is too slow").speaker.as_ref().unwrap().text, "Commuters surveyed");
    assert!(a.quotes.iter().all(|q| !q.text.contains("nothing at all")), "a year is not a speaker");
}

#[test]
fn a_trailing_cue_with_an_addressee_reports_the_clause_before_it() {
    let (_, a) = run(
        "The bridge will open in May, his top aide, Tom Alder, told the Harbor Gazette.",
        &["Tom Alder"],
        &["Harbor Gazette"],
    );
    assert_eq!(find(&a, "bridge will open").text, "The bridge will open in May");
    assert_eq!(speaker(&a, "bridge will open"), "Tom Alder");
}

#[test]
fn as_clauses_and_pointed_out_report() {
    let (_, a) = run(
        "As Maria Chen noted, the ferry is cheaper than the bridge.\n\n\
         Tom Alder pointed out that the toll had not changed in years.\n\n\
         Tom Alder pointed to the map.",
        &["Maria Chen", "Tom Alder"],
        &[],
    );
    assert_eq!(find(&a, "ferry is cheaper").text, "the ferry is cheaper than the bridge");
    assert_eq!(speaker(&a, "ferry is cheaper"), "Maria Chen");
    assert_eq!(find(&a, "toll had not").text, "the toll had not changed in years");
    assert!(a.quotes.iter().all(|q| !q.text.contains("map")), "{:#?}", a.quotes);
}

#[test]
fn apostrophes_and_brackets_do_not_hide_reported_speech() {
    let (_, a) = run(
        "Maria Chen said she welcomed the Harbor Pilots’ offer.\n\nTom Alder (D-Ohio) said the vote would be close.",
        &["Maria Chen", "Tom Alder"],
        &[],
    );
    assert_eq!(find(&a, "welcomed").text, "she welcomed the Harbor Pilots’ offer");
    assert_eq!(speaker(&a, "vote would be close"), "Tom Alder");
}

#[test]
fn a_description_with_a_postmodifier_speaks() {
    let (_, a) = run("The ferry will keep running, a source close to the mayor said.", &[], &[]);
    let q = find(&a, "ferry will keep running");
    assert_eq!(q.text, "The ferry will keep running");
    assert_eq!(q.speaker.as_ref().unwrap().text, "a source close to the mayor");
}

#[test]
fn a_title_case_headline_cue_reports() {
    let (_, a) = run(
        "Maria Chen Says Harbor Bridge Will Open In May\n\nThe Bridge Said To Open is a film.",
        &["Maria Chen"],
        &[],
    );
    assert_eq!(find(&a, "Harbor Bridge").text, "Harbor Bridge Will Open In May");
    assert_eq!(speaker(&a, "Harbor Bridge"), "Maria Chen");
}

#[test]
fn a_very_long_insert_and_a_second_cue_with_that() {
    let (_, a) = run(
        "Maria Chen, who took over as head of the harbor office after the previous director left because of \
         a long dispute with the city council over the budget, said the bridge was safe.\n\n\
         Tom Alder said the toll was fair and added that the ferry would stay.",
        &["Maria Chen", "Tom Alder"],
        &[],
    );
    assert_eq!(speaker(&a, "bridge was safe"), "Maria Chen");
    assert_eq!(find(&a, "toll was fair").text, "the toll was fair");
    assert_eq!(find(&a, "ferry would stay").text, "the ferry would stay");
    assert_eq!(speaker(&a, "ferry would stay"), "Tom Alder");
}

#[test]
fn called_for_stops_at_a_participle_and_likely_to_say_finds_its_subject() {
    let (_, a) = run(
        "Maria Chen called for a new bridge over the harbor, saying the ferry was too slow.\n\n\
         Local commuters are slightly more likely to say the toll is too high.",
        &["Maria Chen"],
        &[],
    );
    assert_eq!(find(&a, "new bridge").text, "a new bridge over the harbor");
    assert_eq!(speaker(&a, "ferry was too slow"), "Maria Chen");
    assert_eq!(find(&a, "toll is too high").speaker.as_ref().unwrap().text, "Local commuters");
}

#[test]
fn transcript_labels_inside_quotations_name_the_speaker() {
    let (_, a) = run(
        "The interview went on.\n\n\"HOLLIS: Are you running again next year?\"\n\n\"MARSH: We have not decided, and I will not be rushed.\"\n\n\"I have a job to do first.\"",
        &["HOLLIS", "Dana Marsh"],
        &[],
    );
    let q = find(&a, "Are you running");
    // A name in capitals is written as a name.
    assert_eq!(speaker(&a, "Are you running"), "Hollis");
    assert_eq!(q.text, "Are you running again next year?", "the label is not part of the quotation");
    // An untagged label still names the speaker; the next quotation continues with them.
    assert!(speaker(&a, "We have not decided").ends_with("Marsh"), "{:?}", find(&a, "We have not decided").speaker);
    assert!(speaker(&a, "a job to do").ends_with("Marsh"));
}

#[test]
fn a_dash_after_a_quotation_names_its_speaker() {
    let (_, a) = run(
        "Readers wrote in.\n\n“The pier was the heart of this town.” ― Carla Mendes\n\n\"Fix it before winter.\" -Commissioner Ravi Patel",
        &["Carla Mendes", "Ravi Patel"],
        &[],
    );
    assert_eq!(speaker(&a, "heart of this town"), "Carla Mendes");
    assert_eq!(speaker(&a, "Fix it before winter"), "Ravi Patel");
    // Not dash attributions: dashes inside running text.
    let (_, c) = run(
        "Ana Ruiz called the plan \"a bridge to nowhere\" — a phrase Tom Reyes used first.",
        &["Ana Ruiz", "Tom Reyes"],
        &[],
    );
    assert_ne!(speaker(&c, "a bridge to nowhere"), "Tom Reyes");
    let (_, b) =
        run("\"We will rebuild,\" Ana Ruiz said — and the crowd cheered Tom Reyes.", &["Ana Ruiz", "Tom Reyes"], &[]);
    assert_eq!(speaker(&b, "We will rebuild"), "Ana Ruiz");
}

#[test]
fn a_colon_ending_the_previous_paragraph_gives_the_speaker_without_a_cue() {
    let (_, a) = run(
        "The Harbor Gazette reports:\n\n\"The council met for six hours and agreed on nothing.\"\n\nAnd from Councillor Ines Calder:\n\n\"We owe residents a plan, not another meeting.\"",
        &["Ines Calder"],
        &["The Harbor Gazette"],
    );
    assert_eq!(speaker(&a, "six hours"), "The Harbor Gazette");
    assert_eq!(speaker(&a, "not another meeting"), "Ines Calder");
}

#[test]
fn according_to_a_role_then_the_apposed_name() {
    let (_, a) = run(
        "According to the harbour engineer, Piet de Vries, the channel will reopen on Friday.",
        &["Piet de Vries"],
        &[],
    );
    let q = find(&a, "channel will reopen");
    assert_eq!(speaker(&a, "channel will reopen"), "Piet de Vries");
    assert_eq!(q.text, "the channel will reopen on Friday", "the apposition is not reported speech");
}

#[test]
fn role_tagged_clauses_become_reported_speech_with_the_tagged_source() {
    use whosaid_attribution::{attribute_with, Options, ReportedFrom};
    use whosaid_tokenize::Role;
    let text = "The mayor, Ana Ruiz, believes the bridge can reopen by May. \
                In an interview, Ruiz insisted the repairs were on schedule. \
                Officials hope the bridge will reopen soon.";
    let (mut doc, rules) = run(text, &["Ana Ruiz", "Ruiz"], &[]);
    tag_roles(
        &mut doc,
        &[
            (Role::Source, "The mayor, Ana Ruiz"),
            (Role::Cue, "believes"),
            (Role::Content, "the bridge can reopen by May"),
            (Role::Source, "Ruiz"),
            (Role::Cue, "insisted"),
            (Role::Content, "the repairs were on schedule."),
            (Role::Source, "Officials"),
            (Role::Cue, "hope"),
            (Role::Content, "the bridge will reopen soon"),
        ],
    );
    let a = attribute_with(&doc, &Options::default());
    let reported: Vec<&Quotation> = a.quotes.iter().filter(|q| q.kind == QuoteKind::Indirect).collect();
    // Only the clause next to a speech cue is reported speech; beliefs and hopes are not.
    assert_eq!(reported.len(), 1, "{reported:#?}");
    assert_eq!(reported[0].text, "the repairs were on schedule");
    assert_eq!(reported[0].speaker.as_ref().unwrap().name, "Ana Ruiz");
    assert_eq!(reported[0].cue.as_ref().unwrap().text, "insisted");
    // Without role tags (or with them switched off) the rules decide alone.
    let off = attribute_with(&doc, &Options { reported: ReportedFrom::Rules, ..Options::default() });
    assert_eq!(off.quotes, rules.quotes);
}

#[test]
fn a_tagged_clause_inside_quotation_marks_is_left_to_the_quotation() {
    use whosaid_tokenize::Role;
    let text = "Ruiz said: \"The repairs are on schedule and the bridge reopens in May.\"";
    let (mut doc, _) = run(text, &["Ruiz"], &[]);
    tag_roles(
        &mut doc,
        &[(Role::Source, "Ruiz"), (Role::Cue, "said"), (Role::Content, "The repairs are on schedule and the bridge")],
    );
    let a = attribute(&doc);
    assert!(a.quotes.iter().all(|q| q.kind != QuoteKind::Indirect), "{:#?}", a.quotes);
    assert_eq!(speaker(&a, "repairs are on schedule"), "Ruiz");
}

#[test]
fn a_title_tagged_apart_from_the_name_after_it_joins_the_name() {
    // Some NER models tag "Mayor" and "Ann Lee" as two names; the speaker is Ann Lee.
    let text = "\"We will rebuild the bridge,\" said Mayor Ann Lee.";
    let (_, a) = run(text, &["Mayor", "Ann Lee"], &[]);
    assert_eq!(speaker(&a, "rebuild the bridge"), "Ann Lee");
}

#[test]
fn a_quotation_no_rule_attributes_takes_the_tagged_source_beside_a_tagged_cue() {
    use whosaid_tokenize::Role;
    // A capitalised cue inside a sentence reads as a name to the rules ("Said Hassan"), so
    // they attribute nothing; the role head tagged "Said" as the cue and "Ruiz" as its source.
    let text = "The council met on Monday.\n\n\"The bridge will reopen in May,\" Ruiz Said.";
    let (mut doc, rules) = run(text, &["Ruiz"], &[]);
    assert!(find(&rules, "bridge will reopen").speaker.is_none(), "{:#?}", rules.quotes);
    tag_roles(&mut doc, &[(Role::Source, "Ruiz"), (Role::Cue, "Said")]);
    let a = attribute(&doc);
    let q = find(&a, "bridge will reopen");
    assert_eq!(q.speaker.as_ref().unwrap().name, "Ruiz");
    assert_eq!(q.cue.as_ref().unwrap().text, "Said");
}

#[test]
fn definite_descriptions_resolve_to_the_person_or_organisation_meant() {
    let (_, a) = run(
        "Karen Olsen says the budget is too small. The Ohio treasurer spoke in Dayton on Friday, \
         a day after Paul Wendt criticised the plan.\n\n\
         The former auditor said the state could not wait.\n\n\
         The Federal Reserve Board of Ohio met on Monday. The board said rates would stay where they are.\n\n\
         Acme Bank posted a loss. \"We expect a better year,\" the bank said.",
        &["Karen Olsen", "Paul Wendt"],
        &["Federal Reserve Board of Ohio", "Acme Bank"],
    );
    // A person noun: the person the discourse is about (the subject of the sentences before),
    // through a chain of descriptions, not the latest name.
    let q = find(&a, "could not wait");
    assert_eq!(q.speaker.as_ref().unwrap().text, "The former auditor");
    assert_eq!(q.speaker.as_ref().unwrap().name, "Karen Olsen");
    // An organisation noun: the organisation whose name holds it, else the latest one.
    assert_eq!(speaker(&a, "rates would stay"), "Federal Reserve Board of Ohio");
    assert_eq!(speaker(&a, "better year"), "Acme Bank");
}

#[test]
fn a_council_title_gives_the_gender() {
    let (_, a) = run(
        // Neither first name gives a gender: only the title tells that "she" is not Ames.
        "Councilman Jordan Ames met Robin Reyes on Monday. She argued that the park should stay open.",
        &["Jordan Ames", "Robin Reyes"],
        &[],
    );
    assert_eq!(speaker(&a, "park should stay open"), "Robin Reyes");
}

#[test]
fn they_after_an_organisation_is_the_organisation() {
    let (_, a) = run(
        "FactWatch checked the senator's claim about bridges. They said the figure was wrong.\n\n\
         Ann Lee met voters on Monday. They said the bridge should stay open.",
        &["Ann Lee"],
        &["FactWatch"],
    );
    assert_eq!(speaker(&a, "figure was wrong"), "FactWatch");
    // After a person, "they" are people the text does not name: left as written.
    assert_eq!(speaker(&a, "bridge should stay open"), "They");
}

#[test]
fn the_honorific_nearest_a_name_gives_its_gender() {
    let (_, a) = run(
        "Jordan Lee never agrees.\n\nThe chairman of Mrs. Lee's campaign spoke.\n\n\
         Mrs. Lee will face the same fire Mr. Park has. He noted that the work was hard.",
        &["Jordan Lee", "Lee", "Park"],
        &[],
    );
    // "chairman" is the chairman's, not Mrs. Lee's: "he" is Mr. Park.
    assert_eq!(speaker(&a, "work was hard"), "Park");
}

#[test]
fn a_speaker_ranker_chooses_among_every_rules_candidates() {
    use whosaid_attribution::candidates::ranker_features;
    use whosaid_attribution::{attribute_with, Options};

    let text = "Pompeo opened the meeting. He called the talks \"frank and useful,\" Lavrov said later.";
    let (doc, chain) = run(text, &["Pompeo", "Lavrov"], &[]);
    // The rules' chain takes the cue's subject; the sentence's subject ("He", Pompeo) and
    // the nearest name before the quotation (Pompeo) are candidates too.
    assert_eq!(speaker(&chain, "frank and useful"), "Lavrov");
    let ranker = |feature: &str| Options { with_features: true, ..ranker_weighing(feature) };
    let by_cue = attribute_with(&doc, &ranker("by_cue"));
    let q = find(&by_cue, "frank and useful");
    assert_eq!(q.speaker.as_ref().unwrap().name, "Lavrov");
    // Every candidate is in the output with its features, the chosen one among them.
    let candidates = q.candidates.as_ref().expect("candidates with features");
    assert!(candidates.len() >= 2, "{candidates:#?}");
    assert!(candidates.iter().all(|c| c.features.len() == ranker_features().len()));
    assert!(candidates.iter().any(|c| c.speaker.name == "Pompeo"), "{candidates:#?}");
    let by_pronoun = attribute_with(&doc, &ranker("mention_pronoun"));
    let q = find(&by_pronoun, "frank and useful");
    assert_eq!(q.speaker.as_ref().unwrap().text, "He");
    assert_eq!(q.speaker.as_ref().unwrap().name, "Pompeo");
    // The choice never changes coreference: the chain's output is the same before and after.
    assert_eq!(attribute_with(&doc, &Options::default()).quotes, chain.quotes);
}

#[test]
fn fronted_and_parenthetical_cues_report_the_statement_alone() {
    let text = "Still, she says, the harbour must be dredged before spring.\n\n\
                The talks will continue next week, a spokesperson for the ministry said.\n\n\
                Norland says the broadcasts will continue.";
    let (_, a) = run(text, &[], &["Norland"]);
    assert!(a.quotes.iter().all(|q| q.text.trim() != "Still"), "{:#?}", a.quotes);
    assert_eq!(find(&a, "harbour must be dredged").text, "the harbour must be dredged before spring");
    assert!(a.quotes.iter().all(|q| !q.text.contains("a spokesperson")), "{:#?}", a.quotes);
    assert_eq!(find(&a, "talks will continue").text, "The talks will continue next week");
    assert_eq!(speaker(&a, "broadcasts will continue"), "Norland");
}

#[test]
fn a_tagged_content_does_not_open_with_the_sources_apposed_name() {
    use whosaid_attribution::{attribute_with, Options};
    use whosaid_tokenize::Role;
    let text = "According to the harbour master, Ilse Brandt, the pier will stay closed until June.";
    let (mut doc, _) = run(text, &["Ilse Brandt"], &[]);
    tag_roles(
        &mut doc,
        &[
            (Role::Cue, "According to"),
            (Role::Source, "the harbour master"),
            (Role::Content, "Ilse Brandt, the pier will stay closed until June"),
        ],
    );
    let a = attribute_with(&doc, &Options::default());
    let q = find(&a, "pier will stay closed");
    assert_eq!(q.text, "the pier will stay closed until June");
    assert_eq!(q.speaker.as_ref().unwrap().name, "Ilse Brandt");
}

#[test]
fn a_tagged_content_after_an_addressee_starts_at_the_statement() {
    use whosaid_tokenize::Role;
    // The role head tagged the addressee into the content; the rule's clause after "tells"
    // found the statement's subject.
    let text = "The council met on Monday.\n\nMs. Ruiz tells a contractor at the council it may have been hacked.";
    let (mut doc, _) = run(text, &["Ruiz"], &[]);
    tag_roles(
        &mut doc,
        &[
            (Role::Source, "Ms. Ruiz"),
            (Role::Cue, "tells"),
            (Role::Content, "a contractor at the council it may have been hacked"),
        ],
    );
    let a = attribute(&doc);
    let q = find(&a, "may have been hacked");
    assert_eq!(q.text, "it may have been hacked");
    assert_eq!(q.speaker.as_ref().unwrap().name, "Ruiz");
    // Without an addressee the content stays as tagged, its "that" with it.
    let text = "The council met on Monday.\n\nMs. Ruiz warned that the old bridge may close.";
    let (mut doc, _) = run(text, &["Ruiz"], &[]);
    tag_roles(
        &mut doc,
        &[(Role::Source, "Ms. Ruiz"), (Role::Cue, "warned"), (Role::Content, "that the old bridge may close")],
    );
    assert_eq!(find(&attribute(&doc), "bridge may close").text, "that the old bridge may close");
}

#[test]
fn a_cue_in_a_subordinate_clause_after_the_quotations_cue_proposes_no_speaker() {
    use whosaid_attribution::attribute_with;
    // Even a ranker that trusts the second-nearest cue above all keeps "Adler told": the cue
    // after ", after" belongs to another clause.
    let text = "Ms. Adler questioned Mr. Ward on Tuesday.\n\n\
                \"You should resign,\" Adler told Ward, after he said he had not been held accountable.";
    let (doc, _) = run(text, &["Adler", "Ward"], &[]);
    let a = attribute_with(&doc, &ranker_weighing("by_second_cue"));
    assert_eq!(speaker(&a, "You should resign"), "Adler");
}
