use super::*;

const FILE: &str = "\
# wasec review file. Edit it with `wasec review FILE` or by hand; keep the ids.
# Team: checkout squad
schema_version: 2
workload:
  name: Shop  # the public name
  reviewers:
  - Aiko
  # Ben joined in November
  - Ben
answers:
  SEC01:
    # agreed in the 2026-11-20 meeting
    selected:
    - SEC01-BP01
    notes: |-
      first line
      # not a comment: part of the notes
follow_ups:
  SEC02-BP05:
  - id: aaaa
    text: one
  # the second action waits for budget
  - id: bbbb
    text: two
    owner: Ben  # on leave until 2027
# closing remark
";

#[test]
fn comments_are_found_where_they_stand() {
    let c = Comments::extract(FILE);
    let paths: Vec<&str> = c.before.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "schema_version",
            "workload/reviewers/[=Ben]",
            "answers/SEC01/selected",
            "follow_ups/SEC02-BP05/[id=bbbb]/id",
        ]
    );
    assert_eq!(c.before[0].1, vec!["# Team: checkout squad"]);
    let trailing: Vec<(&str, &str)> = c
        .trailing
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    assert_eq!(
        trailing,
        vec![
            ("workload/name", "# the public name"),
            (
                "follow_ups/SEC02-BP05/[id=bbbb]/owner",
                "# on leave until 2027"
            ),
        ]
    );
    assert_eq!(c.end, vec!["# closing remark"]);
}

#[test]
fn comments_follow_their_item_when_others_come_and_go() {
    let c = Comments::extract(FILE);
    // The first action was removed and a third added; Aiko left.
    let rendered = "\
# wasec review file. Edit it with `wasec review FILE` or by hand; keep the ids.
schema_version: 2
workload:
  name: Shop
  reviewers:
  - Ben
answers:
  SEC01:
    selected:
    - SEC01-BP01
    - SEC01-BP02
    notes: |-
      first line
      # not a comment: part of the notes
follow_ups:
  SEC02-BP05:
  - id: bbbb
    text: two
    owner: Ben
  - id: cccc
    text: three
";
    let out = c.reinsert(rendered);
    assert_eq!(
        out,
        "\
# wasec review file. Edit it with `wasec review FILE` or by hand; keep the ids.
# Team: checkout squad
schema_version: 2
workload:
  name: Shop  # the public name
  reviewers:
  # Ben joined in November
  - Ben
answers:
  SEC01:
    # agreed in the 2026-11-20 meeting
    selected:
    - SEC01-BP01
    - SEC01-BP02
    notes: |-
      first line
      # not a comment: part of the notes
follow_ups:
  SEC02-BP05:
  # the second action waits for budget
  - id: bbbb
    text: two
    owner: Ben  # on leave until 2027
  - id: cccc
    text: three
# closing remark
"
    );
    // Extracting again finds the same comments: a second save changes nothing.
    assert_eq!(Comments::extract(&out).reinsert(rendered), out);
}

#[test]
fn a_comment_whose_place_is_gone_is_kept_at_the_end() {
    let c = Comments::extract("a: 1\n# about b\nb: 2  # two\n");
    let out = c.reinsert("a: 1\n");
    assert_eq!(out, format!("a: 1\n{ORPHANS_NOTE}\n# about b\n# two\n"));
    // The note itself is not collected again as a comment of the file.
    let again = Comments::extract(&out);
    assert_eq!(again.end, vec!["# about b", "# two"]);
}

#[test]
fn hashes_inside_values_are_not_comments() {
    let c = Comments::extract("a: 'x # y'\nb: \"#1\"\nc: [a, '#b']\nd: x#y\n");
    assert!(c.is_empty(), "{c:?}");
}

#[test]
fn a_file_without_comments_is_returned_as_rendered() {
    let c = Comments::extract("a: 1\nb:\n- x\n");
    assert!(c.is_empty());
    assert_eq!(c.reinsert("a: 2\n"), "a: 2\n");
}
