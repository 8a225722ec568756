//! The keyboard shortcuts: one table that the help overlay lists and the
//! explorer's key handler dispatches from, so the two cannot disagree.

/// What a shortcut does (the handler matches every one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Focus the search box.
    Search,
    /// Move the result cursor down.
    Next,
    /// Move the result cursor up.
    Previous,
    /// Open the paper under the cursor.
    Open,
    /// Close a dialog, else the paper, else (in the search box) clear the search.
    Close,
    /// Open the selected paper if none is and focus its tag input.
    Tag,
    /// Show or hide the shortcut list.
    Help,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Search,
        Action::Next,
        Action::Previous,
        Action::Open,
        Action::Close,
        Action::Tag,
        Action::Help,
    ];

    /// Whether the key works while typing in a text field: only Esc does
    /// (letters there are text).
    pub fn while_typing(self) -> bool {
        self == Action::Close
    }
}

/// One line of the shortcut list and the keys behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortcut {
    /// The keys as shown (`j / k`).
    pub keys: &'static str,
    /// What they do, as shown.
    pub description: &'static str,
    /// `KeyboardEvent.key` values and the action each runs.
    pub bindings: &'static [(&'static str, Action)],
}

/// Every shortcut, in the order the help lists them.
pub const SHORTCUTS: &[Shortcut] = &[
    Shortcut { keys: "/", description: "Search", bindings: &[("/", Action::Search)] },
    Shortcut {
        keys: "j / k",
        description: "Next / previous result",
        bindings: &[
            ("j", Action::Next),
            ("ArrowDown", Action::Next),
            ("k", Action::Previous),
            ("ArrowUp", Action::Previous),
        ],
    },
    Shortcut { keys: "Enter", description: "Open the selected paper", bindings: &[("Enter", Action::Open)] },
    Shortcut {
        keys: "Esc",
        description: "Close the paper, or clear the search",
        bindings: &[("Escape", Action::Close)],
    },
    Shortcut { keys: "t", description: "Tag the open or selected paper", bindings: &[("t", Action::Tag)] },
    Shortcut { keys: "?", description: "Show or hide this help", bindings: &[("?", Action::Help)] },
];

/// The action of `key` (a `KeyboardEvent.key` without Ctrl, Alt or Meta),
/// `typing` when focus is in a text field.
pub fn action_for(key: &str, typing: bool) -> Option<Action> {
    let action =
        SHORTCUTS.iter().flat_map(|s| s.bindings).find(|(k, _)| *k == key).map(|(_, action)| *action)?;
    (!typing || action.while_typing()).then_some(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(key: &str, typing: bool, expected: Option<Action>) {
        assert_eq!(action_for(key, typing), expected, "{key:?}, typing: {typing}");
    }

    #[test]
    fn keys_run_their_action_and_only_esc_works_while_typing() {
        check("/", false, Some(Action::Search));
        check("j", false, Some(Action::Next));
        check("ArrowDown", false, Some(Action::Next));
        check("k", false, Some(Action::Previous));
        check("ArrowUp", false, Some(Action::Previous));
        check("Enter", false, Some(Action::Open));
        check("Escape", false, Some(Action::Close));
        check("t", false, Some(Action::Tag));
        check("?", false, Some(Action::Help));
        check("Escape", true, Some(Action::Close));
        check("j", true, None);
        check("/", true, None);
        check("J", false, None);
        check("x", false, None);
    }

    #[test]
    fn every_action_is_listed_and_every_key_bound_once() {
        let bindings: Vec<(&str, Action)> =
            SHORTCUTS.iter().flat_map(|s| s.bindings.iter().copied()).collect();
        for action in Action::ALL {
            assert!(bindings.iter().any(|(_, a)| *a == action), "{action:?} has no key");
        }
        for (i, (key, _)) in bindings.iter().enumerate() {
            assert!(!bindings[..i].iter().any(|(k, _)| k == key), "{key} is bound twice");
        }
        assert!(SHORTCUTS.iter().all(|s| !s.keys.is_empty() && !s.description.is_empty()));
    }
}
