//! What a speaker is called in the output: words that are not anyone's name never come out
//! as speakers, and each speaker's gender is the one the text refers to them with. Short texts
//! written for these tests, entities given by hand.

mod common;

use common::{find, ranker_weighing, run, speaker, tag_roles, with_entities};
use whosaid_attribution::{attribute, attribute_with, Gender, GenderEvidence, GenderFrom, Options, SpeakerType};
use whosaid_tokenize::EntityLabel::{Location, Misc, Organisation, Person};

#[test]
fn an_adjective_before_a_noun_is_not_the_speaker_the_noun_is() {
    let doc = with_entities(
        "\"The committee has no plan at all,\" said one Quorvian official on the panel.",
        &[(&["Quorvian"], Misc)],
    );
    let a = attribute(&doc);
    let s = find(&a, "no plan at all").speaker.clone().unwrap();
    assert!(s.name.ends_with("Quorvian official") && s.kind == SpeakerType::Other, "{s:?}");
    assert!(a.speakers.iter().all(|x| x.name != "Quorvian"));
}

#[test]
fn a_place_in_an_appositive_is_not_the_speaker_the_person_before_it_is() {
    let doc = with_entities(
        "Tamsin Orr, of Millbrook, Vt., said she had waited four hours to vote.",
        &[(&["Tamsin Orr"], Person), (&["Millbrook", "Vt."], Location)],
    );
    let a = attribute(&doc);
    let s = find(&a, "waited four hours").speaker.clone().unwrap();
    assert_eq!(s.name, "Tamsin Orr", "{s:?}");
}

#[test]
fn the_tail_of_an_organisation_name_is_the_organisation() {
    let doc = with_entities(
        "The Commission on Harbour Debates said the microphone had failed.",
        &[(&["Harbour Debates"], Person)],
    );
    let a = attribute(&doc);
    let s = find(&a, "microphone had failed").speaker.clone().unwrap();
    assert_eq!((s.name.as_str(), s.kind), ("Commission on Harbour Debates", SpeakerType::ORGANISATION), "{s:?}");
}

#[test]
fn a_first_name_tagged_apart_from_its_surname_is_the_persons() {
    // As NER cuts names it has seen too rarely: the first name inside the organisation
    // before it, or as a name of another kind.
    let text = "Economist Tomas Halvorsen said the rates were too high.\n\n\
                \"Nobody planned for this,\" Halvorsen said.\n\n\
                The Herald interviewed a lecturer at Northfield University Simon Vrabec about \
                the budget.\n\nHerald: Why is it late?\n\nSimon: Parliament could not agree on the rates.";
    let doc = with_entities(
        text,
        &[(&["Northfield University Simon", "Tomas"], Organisation), (&["Vrabec", "Simon", "Halvorsen"], Person)],
    );
    let a = attribute(&doc);
    assert_eq!(speaker(&a, "Parliament could not agree"), "Simon Vrabec");
    assert_eq!(speaker(&a, "Nobody planned"), "Tomas Halvorsen");
}

#[test]
fn a_place_or_thing_in_a_phrase_after_the_subject_does_not_speak() {
    let text = "Crowds gathered on Friday.\n\n\
                Protesters marching through the streets chanted \"Not one step back!\"\n\n\
                Officials in Millbrook said the bridge would stay closed.\n\n\
                Lawyers at the Harbour Board said the lease was void.";
    let doc = with_entities(text, &[(&["Millbrook"], Location), (&["Harbour Board"], Organisation)]);
    let a = attribute(&doc);
    assert_eq!(speaker(&a, "Not one step back"), "Protesters");
    assert_eq!(speaker(&a, "bridge would stay closed"), "Officials");
    // An organisation can speak: it stays the speaker its people speak for.
    assert_eq!(speaker(&a, "lease was void"), "Harbour Board");
}

#[test]
fn a_kin_word_with_a_capital_names_no_one() {
    let doc = with_entities("Mom said the bakery would close early on Friday.", &[(&["Mom"], Person)]);
    let a = attribute(&doc);
    let s = find(&a, "bakery would close").speaker.clone().unwrap();
    assert_eq!(s.kind, SpeakerType::Other, "{s:?}");
}

#[test]
fn genders_come_from_the_text_first_and_first_names_last() {
    let text = "\"The pier reopens on Monday,\" Dana Holt said. She added that repairs were finished.\n\n\
                \"Fares will not rise,\" Ms. Okafor said.\n\n\
                \"The ferry is late,\" said the spokeswoman, Kim Tran.\n\n\
                \"We will appeal,\" said Marco Ferri.\n\n\
                The Harbour Board said it would publish the accounts.";
    let doc = with_entities(
        text,
        &[(&["Dana Holt", "Okafor", "Kim Tran", "Marco Ferri"], Person), (&["Harbour Board"], Organisation)],
    );
    let a = attribute(&doc);
    let summary = |name: &str| {
        let s = a.speakers.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{name}: {:#?}", a.speakers));
        (s.gender, s.gender_evidence)
    };
    assert_eq!(summary("Dana Holt"), (Some(Gender::Female), Some(GenderEvidence::Pronoun)));
    assert_eq!(summary("Okafor"), (Some(Gender::Female), Some(GenderEvidence::Honorific)));
    assert_eq!(summary("Kim Tran"), (Some(Gender::Female), Some(GenderEvidence::Title)));
    assert_eq!(summary("Marco Ferri"), (Some(Gender::Male), Some(GenderEvidence::FirstName)));
    assert_eq!(summary("Harbour Board"), (Some(Gender::Unknown), None));
    assert_eq!(find(&a, "pier reopens").speaker.as_ref().unwrap().gender, Some(Gender::Female));

    let options = |gender_from| Options { gender_from, ..Options::default() };
    let text_only = attribute_with(&doc, &options(GenderFrom::TextOnly));
    let ferri = text_only.speakers.iter().find(|s| s.name == "Marco Ferri").unwrap();
    assert_eq!((ferri.gender, ferri.gender_evidence), (Some(Gender::Unknown), None));
    let names = attribute_with(&doc, &options(GenderFrom::Names));
    let holt = names.speakers.iter().find(|s| s.name == "Dana Holt").unwrap();
    assert_eq!(holt.gender_evidence.unwrap_or(GenderEvidence::FirstName), GenderEvidence::FirstName);
    let off = attribute_with(&doc, &options(GenderFrom::Off));
    assert!(off.speakers.iter().all(|s| s.gender.is_none() && s.gender_evidence.is_none()));
    assert!(off.quotes.iter().filter_map(|q| q.speaker.as_ref()).all(|s| s.gender.is_none()));
}

#[test]
fn a_place_before_a_title_and_a_name_is_not_the_speaker_the_name_is() {
    let doc = with_entities(
        "Millbrook Mayor Jennifer Okoro said Friday that the video would be released.",
        &[(&["Jennifer Okoro"], Person), (&["Millbrook"], Person)],
    );
    let a = attribute(&doc);
    assert_eq!(find(&a, "video would be released").speaker.as_ref().unwrap().name, "Jennifer Okoro");
}

#[test]
fn a_mixed_quotation_names_its_statement() {
    let statement = |text: &str, fragment: &str| {
        let doc = with_entities(text, &[(&["Ana Ruiz"], Person)]);
        let a = attribute(&doc);
        let q = find(&a, fragment).clone();
        assert_eq!(q.kind, whosaid_attribution::QuoteKind::Mixed, "{q:?}");
        let clause = q.clause.expect("a mixed quotation has the clause field").expect("a statement was found");
        doc.text.chars().skip(clause.start).take(clause.end - clause.start).collect::<String>()
    };
    assert_eq!(
        statement("Ana Ruiz said the plan was \"a total disaster\" and that it would be withdrawn.", "total disaster"),
        "the plan was \"a total disaster\" and that it would be withdrawn"
    );
    assert_eq!(
        statement("The plan was \"a total disaster\" and must go, Ana Ruiz said on Monday.", "total disaster"),
        "The plan was \"a total disaster\" and must go"
    );
    // Direct quotations have no clause field at all.
    let doc = with_entities("\"The plan is dead,\" Ana Ruiz said.", &[(&["Ana Ruiz"], Person)]);
    let a = attribute(&doc);
    assert_eq!(find(&a, "plan is dead").clause, None);
}

#[test]
fn an_organisation_before_a_persons_title_is_not_the_sentences_subject() {
    // "and said": the speaker is the subject of the sentence's first verb, whose head is the
    // person, not the party that owns the title nor the title's capitalised words.
    let (_, a) = run(
        "Labour's Shadow Home Secretary Dana Whitfield spoke on Monday and said the plan was \
         \"a shambles from start to finish\".",
        &["Dana Whitfield"],
        &["Labour", "Home"],
    );
    assert_eq!(speaker(&a, "a shambles"), "Dana Whitfield");
    let (_, a) = run(
        "Acme chief executive Tomas Brandt met investors and said the merger was \"all but done\".",
        &["Tomas Brandt"],
        &["Acme"],
    );
    assert_eq!(speaker(&a, "all but done"), "Tomas Brandt");
    // An organisation that is the subject keeps it.
    let (_, a) = run("Acme's board met on Monday and said the merger was \"all but done\".", &[], &["Acme"]);
    assert_ne!(speaker(&a, "all but done"), "");
}

#[test]
fn a_named_authors_message_speaks_for_its_author() {
    let (_, a) = run(
        "Senator Ines Calloway criticised the decision.\n\n\
         Calloway's statement added, \"This choice ignores the people it will hurt the most.\"",
        &["Ines Calloway", "Calloway"],
        &[],
    );
    assert_eq!(speaker(&a, "ignores the people"), "Ines Calloway");
    // A message without a named author stays as written.
    let (_, a) =
        run("The ministry's statement added, \"The talks will resume next week in Geneva.\"", &[], &["Geneva"]);
    assert_ne!(speaker(&a, "talks will resume"), "Geneva");
}

#[test]
fn a_name_that_only_modifies_the_source_gives_way_to_the_source() {
    // A demonym NER took for a person, before a title and a place.
    let doc = with_entities(
        "According to Freedonian Ambassador to the United Nations Maria Lopez, the talks will resume \
         next week.",
        &[(&["Freedonian", "Maria Lopez"], Person), (&["United Nations"], Organisation)],
    );
    assert_eq!(speaker(&attribute(&doc), "talks will resume"), "Maria Lopez");
    // A possessor: its organisation, its person, or the description it opens.
    let doc = with_entities(
        "A storm brought the bridge down, according to Freedonia's Civil Defense Authority.",
        &[(&["Freedonia", "Civil Defense Authority"], Organisation)],
    );
    assert_eq!(speaker(&attribute(&doc), "storm brought"), "Civil Defense Authority");
    let (_, a) = run(
        "The mayor will run again, according to Dana Reyes's campaign manager Tom Brandt.",
        &["Dana Reyes", "Tom Brandt"],
        &[],
    );
    assert_eq!(speaker(&a, "run again"), "Tom Brandt");
    let (_, a) = run("The mayor will run again, according to Dana Reyes's spokesman.", &["Dana Reyes"], &[]);
    let s = find(&a, "run again").speaker.clone().unwrap();
    assert!(s.kind == SpeakerType::Other && s.name.ends_with("spokesman"), "{s:?}");
    // A company before a compound title, with coordinated verbs.
    let (_, a) =
        run("Acme co-founder Jane Doe met the students and said the firm would expand.", &["Jane Doe"], &["Acme"]);
    assert_eq!(speaker(&a, "firm would expand"), "Jane Doe");
}

#[test]
fn a_place_or_postnominal_set_off_by_commas_is_not_the_speaker() {
    let doc = with_entities(
        "Cynthia Thorne, curator of prints at the Lakeview Museum, Harlow, said the drawings \
         would travel next year.",
        &[(&["Cynthia Thorne"], Person), (&["Lakeview Museum"], Organisation), (&["Harlow"], Location)],
    );
    assert_eq!(speaker(&attribute(&doc), "drawings would travel"), "Cynthia Thorne");
    // NER tags the letters after a barrister's name as an organisation of their own.
    let doc = with_entities(
        "The hearing resumed on Monday. In the words of the prosecutor, Mark Tedesco, QC, \"The \
         child suffered for months.\"",
        &[(&["Mark Tedesco"], Person), (&["QC"], Organisation)],
    );
    let a = attribute(&doc);
    assert!(a.speakers.iter().all(|s| s.name != "QC"), "{:?}", a.speakers);
}

#[test]
fn a_person_named_right_before_a_participle_cue_is_its_subject() {
    let (_, a) =
        run("The mayor showed footage of Dana Reyes saying that the town would lose its bridge.", &["Dana Reyes"], &[]);
    assert_eq!(speaker(&a, "town would lose its bridge"), "Dana Reyes");
    let (_, a) = run(
        "The senators were unhappy with the bill, with Sen. Tom Brandt calling it \"a wish list\".",
        &["Tom Brandt"],
        &[],
    );
    assert_eq!(speaker(&a, "a wish list"), "Tom Brandt");
    // After another preposition the person is an object: the writer asked.
    let (_, a) = run(
        "In May, Dana Reyes wrote a letter to Tom Brandt asking that the proceeds go to charity.",
        &["Dana Reyes", "Tom Brandt"],
        &[],
    );
    assert!(a.quotes.iter().all(|q| q.speaker.as_ref().is_none_or(|s| s.name != "Tom Brandt")), "{:#?}", a.quotes);
}

#[test]
fn an_organisations_analysis_speaks_for_it_and_the_object_of_of_does_not() {
    let (_, a) = run(
        "Acme's recent analysis of its own sales figures concluded, \"Sales fell in every region.\"",
        &[],
        &["Acme"],
    );
    assert_eq!(speaker(&a, "Sales fell in every region"), "Acme");
    // Nor that of "on" or "about"; "by" names the author.
    let (_, a) = run(
        "Acme's latest report on the Harbour Board said the cranes were too old.\n\n\
         A report by Northfield University said that the water was safe.",
        &[],
        &["Acme", "Harbour Board", "Northfield University"],
    );
    assert_eq!(speaker(&a, "the cranes were too old"), "Acme");
    assert_eq!(speaker(&a, "the water was safe"), "Northfield University");
}

#[test]
fn an_organisations_name_cut_at_its_link_word_is_one_name() {
    // NER tagged "Commission" and left "on Election Integrity" untagged, and took a
    // description's adjective into the name; "on Monday" is no part of a name.
    let doc = with_entities(
        "The independent Commission on Election Integrity says the count was fair.\n\n\
         The commission said in a report that no ballots were lost.\n\n\
         The Marlow Commission on Monday said the audit would be published.",
        &[(&["independent Commission", "Marlow Commission"], Organisation)],
    );
    let a = attribute(&doc);
    assert_eq!(speaker(&a, "the count was fair"), "Commission on Election Integrity");
    assert_eq!(speaker(&a, "no ballots were lost"), "Commission on Election Integrity");
    assert_eq!(speaker(&a, "audit would be published"), "Marlow Commission");
}

#[test]
fn a_message_described_again_speaks_for_the_author_it_was_introduced_with() {
    let doc = with_entities(
        "A new Harlow Institute poll shows the plan has lost support.\n\n\
         The plan loses by 12 points among older voters, according to the poll.\n\n\
         Mayor Dana Reyes said in a statement on Monday that the bridge would reopen.\n\n\
         \"Safety comes first,\" the statement said.\n\n\
         A report released in May by the Harbour Authority found that the pier was unsafe.\n\n\
         The report said repairs would cost $4 million.",
        &[(&["Harlow Institute", "Harbour Authority"], Organisation), (&["Dana Reyes"], Person)],
    );
    let a = attribute(&doc);
    for (said, author, as_written) in [
        ("loses by 12 points", "Harlow Institute", "the poll"),
        ("Safety comes first", "Dana Reyes", "the statement"),
        ("repairs would cost", "Harbour Authority", "The report"),
    ] {
        let s = find(&a, said).speaker.clone().unwrap();
        assert_eq!((s.name.as_str(), s.text.as_str()), (author, as_written), "{s:?}");
    }
    // No named author where it was introduced, a report someone else tells of, or a
    // description that names its own: the description stays.
    let doc = with_entities(
        "The agency published its annual report on Tuesday.\n\n\
         The report said the river was cleaner than in 1990.\n\n\
         Harbour News reports that the letter was sent on Friday.\n\n\
         The letter warned that the pier would close.\n\n\
         A Harlow Institute poll came out on Monday. The Marlow poll says the race is tied.",
        &[(&["Harbour News", "Harlow Institute"], Organisation)],
    );
    let a = attribute(&doc);
    assert_eq!(speaker(&a, "river was cleaner"), "The report");
    assert_eq!(speaker(&a, "pier would close"), "The letter");
    assert_eq!(speaker(&a, "race is tied"), "The Marlow poll");
}

#[test]
fn an_article_or_a_possessive_determiner_alone_names_no_one() {
    use whosaid_tokenize::Role;
    let options = ranker_weighing("by_role_source");
    // NER tagged "The" apart from "Harbour Times"; the article opens the name.
    let mut doc = with_entities(
        "\"It was a terrible choice,\" he told The Harbour Times.",
        &[(&["The Harbour Times"], Organisation)],
    );
    let at = doc.entities[0].start;
    doc.entities[0].end = at + 3;
    doc.entities[0].text = "The".into();
    doc.entities.push(whosaid_tokenize::Entity {
        start: at + 4,
        end: at + 17,
        text: "Harbour Times".into(),
        label: Organisation,
        score: 1.0,
    });
    tag_roles(&mut doc, &[(Role::Source, "The Harbour Times"), (Role::Cue, "told")]);
    let a = attribute_with(&doc, &options);
    assert_eq!(speaker(&a, "terrible choice"), "The Harbour Times");
    // "their" determines the tagged source "their friends and advisers".
    let mut doc = with_entities(
        "Mrs. Reyes and her husband knew the message was \"out of date,\" their friends and advisers said.",
        &[(&["Reyes"], Person)],
    );
    tag_roles(&mut doc, &[(Role::Source, "their friends and advisers"), (Role::Cue, "said")]);
    let a = attribute_with(&doc, &options);
    assert!(speaker(&a, "out of date").ends_with("advisers"), "{}", speaker(&a, "out of date"));
    // A quoted title is part of the phrase after "according to"; the phrase's head comes
    // before "in".
    let doc = with_entities(
        "The plan would cost $4 million a year, according to the \"Homes for all\" document she released.\n\n\
         The firm put Mrs. Reyes \"through the wringer,\" according to her lawyers in a court filing.",
        &[(&["Reyes"], Person)],
    );
    let a = attribute(&doc);
    assert!(speaker(&a, "$4 million a year").ends_with("document she released"));
    assert!(speaker(&a, "through the wringer").starts_with("her lawyers"));
}
