//! The fields of the case forms as templates render them (`case_field.html`): each
//! with its label, what was typed, its message and the ids that tie them together
//! (`aria-describedby`, `aria-invalid`), so a refused form comes back whole.

use super::super::context::PageContext;
use super::Posted;
use crate::domain::vocabulary::Code;

/// A field's problem, in the reader's language.
#[derive(Debug, Clone)]
pub struct FieldText {
    /// The field's name as the form and the rules name it (`survivor.full_name`).
    pub field: String,
    pub text: String,
}

impl FieldText {
    pub fn new(field: &str, text: String) -> Self {
        FieldText { field: field.to_string(), text }
    }

    /// The id of the field it is about (the error summary links to it).
    pub fn id(&self) -> String {
        field_id(&self.field)
    }
}

/// The field rules name `survivor.full_name` is `survivor-full_name` in the page.
pub fn field_id(name: &str) -> String {
    name.replace('.', "-")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Tel,
    /// A whole number (how many children).
    Number,
    Date,
    Time,
    Area,
    Select,
    /// One yes/no checkbox.
    Check,
    /// Several checkboxes under one legend.
    Checks,
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub id: String,
    pub label: String,
    pub hint: String,
    pub kind: Kind,
    pub value: String,
    pub choices: Vec<Choice>,
    pub error: String,
    pub required: bool,
    pub max: usize,
    /// The first field with a problem gets the focus.
    pub focus: bool,
    pub checked: bool,
    /// Half a row where there is room (two short choices side by side).
    pub half: bool,
    /// A long list of checkboxes folded under its label until opened (open when
    /// something is ticked or wrong).
    pub fold: bool,
}

impl Field {
    pub fn is(&self, kind: &str) -> bool {
        let mine = match self.kind {
            Kind::Text => "text",
            Kind::Tel => "tel",
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::Time => "time",
            Kind::Area => "area",
            Kind::Select => "select",
            Kind::Check => "check",
            Kind::Checks => "checks",
        };
        mine == kind
    }

    /// The input type of a one-line field.
    pub fn input_type(&self) -> &'static str {
        match self.kind {
            Kind::Tel => "tel",
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::Time => "datetime-local",
            _ => "text",
        }
    }

    /// What describes the field: its message, then its hint.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.error.is_empty() {
            ids.push(format!("{}-error", self.id));
        }
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.id));
        }
        ids.join(" ")
    }

    pub fn with_hint(mut self, hint: String) -> Self {
        self.hint = hint;
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn folded(mut self) -> Self {
        self.fold = true;
        self
    }

    /// Whether a folded list shows at once.
    pub fn opened(&self) -> bool {
        !self.error.is_empty() || self.choices.iter().any(|c| c.chosen)
    }

    pub fn half(mut self) -> Self {
        self.half = true;
        self
    }

    /// Without its hint (where a step must stay short).
    pub fn bare(mut self) -> Self {
        self.hint = String::new();
        self
    }

    pub fn max(mut self, max: usize) -> Self {
        self.max = max;
        self
    }
}

/// Makes the fields of one form from what was posted (or the defaults) and the
/// problems found.
pub struct Fields<'a> {
    pub ctx: &'a PageContext,
    pub posted: &'a Posted,
    pub errors: &'a [FieldText],
    /// Set before the ids, so that several forms of one page never share one.
    pub prefix: &'static str,
}

impl Fields<'_> {
    fn field(&self, name: &str, label: String, kind: Kind) -> Field {
        Field {
            name: name.to_string(),
            id: format!("{}{}", self.prefix, field_id(name)),
            label,
            hint: String::new(),
            kind,
            value: self.posted.one(name),
            choices: Vec::new(),
            error: self.errors.iter().find(|e| e.field == name).map(|e| e.text.clone()).unwrap_or_default(),
            required: false,
            max: 0,
            focus: false,
            checked: self.posted.has(name, "1"),
            half: false,
            fold: false,
        }
    }

    pub fn text(&self, name: &str, label: String) -> Field {
        self.field(name, label, Kind::Text)
    }

    pub fn tel(&self, name: &str, label: String) -> Field {
        self.field(name, label, Kind::Tel)
    }

    pub fn number(&self, name: &str, label: String) -> Field {
        self.field(name, label, Kind::Number)
    }

    pub fn date(&self, name: &str, label: String) -> Field {
        self.field(name, label, Kind::Date).with_hint(self.ctx.t("field-date-hint"))
    }

    pub fn time(&self, name: &str, label: String) -> Field {
        self.field(name, label, Kind::Time).with_hint(self.ctx.t("field-time-hint"))
    }

    pub fn area(&self, name: &str, label: String) -> Field {
        self.field(name, label, Kind::Area)
    }

    pub fn check(&self, name: &str, label: String) -> Field {
        self.field(name, label, Kind::Check)
    }

    /// A select of `choices` (value, label); `blank` adds an empty first choice.
    pub fn select(&self, name: &str, label: String, choices: Vec<(String, String)>, blank: bool) -> Field {
        let mut field = self.field(name, label, Kind::Select);
        let chosen = field.value.clone();
        if blank {
            field.choices.push(Choice {
                value: String::new(),
                label: self.ctx.t("field-choose-blank"),
                chosen: chosen.is_empty(),
            });
        }
        field.choices.extend(choices.into_iter().map(|(value, label)| Choice {
            chosen: value == chosen,
            value,
            label,
        }));
        field
    }

    /// A select of a closed list, labelled from `list`'s messages.
    pub fn code<T: Code>(&self, name: &str, label: String, list: &str, blank: bool) -> Field {
        self.select(name, label, labelled::<T>(self.ctx, list), blank)
    }

    /// Checkboxes of a closed list.
    pub fn checks<T: Code>(&self, name: &str, label: String, list: &str) -> Field {
        self.checks_of(name, label, labelled::<T>(self.ctx, list))
    }

    pub fn checks_of(&self, name: &str, label: String, choices: Vec<(String, String)>) -> Field {
        let mut field = self.field(name, label, Kind::Checks);
        field.choices = choices
            .into_iter()
            .map(|(value, label)| Choice { chosen: self.posted.has(name, &value), value, label })
            .collect();
        field
    }
}

/// Every code of a closed list with its label.
pub fn labelled<T: Code>(ctx: &PageContext, list: &str) -> Vec<(String, String)> {
    T::all().iter().map(|v| (v.code().to_string(), ctx.label(list, v.code()))).collect()
}

/// Gives the focus to the first field with a problem.
pub fn focus_first_error<'f>(fields: impl IntoIterator<Item = &'f mut Field>) {
    if let Some(first) = fields.into_iter().find(|f| !f.error.is_empty()) {
        first.focus = true;
    }
}
