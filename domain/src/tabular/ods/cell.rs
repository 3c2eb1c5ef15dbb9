//! One ODS cell's text, as calamine reads it: the first of `office:value` (a number),
//! `office:string-value`, `office:date-value`, `office:time-value` (as written) or
//! `office:boolean-value`; otherwise, for a text cell (or an error LibreOffice wrote as text),
//! its paragraphs one line each with `text:s` spaces, tabs and line breaks, notes left out. A
//! value longer than a cell may hold is refused as it grows, `text:s` counts before they are
//! expanded.

use calamine::Data;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

use super::super::limits::{Limit, MAX_FIELD_CHARS};
use super::super::sheet::text_of;
use super::super::{DateCells, ParseError};
use super::{corrupt, cut_short, is_cell_name, repeats, Xml};

/// A cell's text, as calamine reads it; an open cell is read to its end (`row` for refusals).
pub(super) fn value(
    xml: &mut Xml<'_>,
    cell: &BytesStart<'_>,
    open: bool,
    row: u64,
    dates: DateCells,
) -> Result<String, ParseError> {
    let mut value: Option<Data> = None;
    let (mut is_string, mut is_error) = (false, false);
    for attribute in cell.attributes() {
        let attribute = attribute.map_err(corrupt)?;
        let text = || attribute.unescape_value().map_err(corrupt);
        match attribute.key.as_ref() {
            b"office:value" if value.is_none() => {
                let number = text()?.trim().parse::<f64>().map_err(corrupt)?;
                value = Some(Data::Float(number));
            }
            b"office:string-value" if value.is_none() => {
                value = Some(Data::String(text()?.into_owned()))
            }
            b"office:date-value" if value.is_none() => {
                value = Some(Data::DateTimeIso(text()?.into_owned()))
            }
            b"office:time-value" if value.is_none() => {
                value = Some(Data::DurationIso(text()?.into_owned()))
            }
            b"office:boolean-value" if value.is_none() => {
                value = Some(Data::Bool(matches!(&*text()?, "TRUE" | "true")))
            }
            b"office:value-type" if value.is_none() => is_string = &*text()? == "string",
            b"calcext:value-type" => is_error = &*text()? == "error",
            _ => {}
        }
    }
    let blank_error = is_error && matches!(&value, Some(Data::String(s)) if s.is_empty());
    let text = if (value.is_none() && is_string) || blank_error {
        if open {
            paragraphs(xml, row)?
        } else {
            String::new()
        }
    } else {
        if open {
            let mut skipped = Vec::new();
            xml.read_to_end_into(cell.name(), &mut skipped)
                .map_err(corrupt)?;
        }
        value.map_or_else(String::new, |v| text_of(&v, dates))
    };
    let chars = text.chars().count();
    if chars > MAX_FIELD_CHARS {
        return Err(Limit::Field { line: row, chars }.into());
    }
    Ok(text)
}

/// The text of a cell's paragraphs, one line each, up to the cell's end.
fn paragraphs(xml: &mut Xml<'_>, row: u64) -> Result<String, ParseError> {
    let (mut text, mut chars, mut first) = (String::new(), 0usize, true);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let piece = match xml.read_event_into(&mut buf).map_err(corrupt)? {
            Event::Text(t) => t.unescape().map_err(corrupt)?.into_owned(),
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"text:p" => {
                let break_before = !first;
                first = false;
                if break_before { "\n" } else { "" }.to_string()
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"text:s" => {
                let count = repeats(&e, b"text:c")?;
                if chars as u64 + count > MAX_FIELD_CHARS as u64 {
                    let chars = (chars as u64).saturating_add(count) as usize;
                    return Err(Limit::Field { line: row, chars }.into());
                }
                " ".repeat(count as usize)
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"text:tab" => "\t".into(),
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"text:line-break" => {
                "\n".into()
            }
            Event::Start(e) if e.name().as_ref() == b"office:annotation" => {
                let end = e.name().as_ref().to_vec();
                let mut skipped = Vec::new();
                xml.read_to_end_into(QName(&end), &mut skipped)
                    .map_err(corrupt)?;
                continue;
            }
            Event::End(e) if is_cell_name(e.name().as_ref()) => return Ok(text),
            Event::Eof => return Err(cut_short()),
            _ => continue,
        };
        chars += piece.chars().count();
        if chars > MAX_FIELD_CHARS {
            return Err(Limit::Field { line: row, chars }.into());
        }
        text.push_str(&piece);
    }
}
