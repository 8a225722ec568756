//! The forgiving query language: terms, OR, phrases, exclusions, field qualifiers.
