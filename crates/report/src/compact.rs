//! `PATH:LINE:COLUMN: SEVERITY: MESSAGE [RULE]`, one line per finding: the shape the
//! common `$gcc` problem matcher and vim/emacs errorformats read.

use crate::Report;

pub(crate) fn render(report: &Report<'_>) -> String {
    let mut out = String::with_capacity(
        report
            .diagnostics
            .iter()
            .map(|d| d.file.len() + d.message.len() + d.rule.len() + 40)
            .sum(),
    );
    // Pieces pushed one by one: a formatting call per line cost more than the
    // rest of the rendering together (this runs once per finding).
    for d in report.diagnostics {
        out.push_str(&d.file);
        out.push(':');
        push_number(&mut out, d.start.line);
        out.push(':');
        push_number(&mut out, d.start.column);
        out.push_str(": ");
        out.push_str(d.severity.as_str());
        out.push_str(": ");
        push_one_line(&mut out, &d.message);
        out.push_str(" [");
        out.push_str(&d.rule);
        out.push_str("]\n");
    }
    out
}

/// `n` in decimal.
fn push_number(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// `message` with each line end (`\r`, `\n`) as a space: a message must stay on
/// one line for line-oriented matchers.
fn push_one_line(out: &mut String, message: &str) {
    let mut rest = message;
    while let Some(i) = memchr::memchr2(b'\r', b'\n', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        out.push(' ');
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_line_ends() {
        let mut s = String::new();
        for n in [0, 7, 10, 4_294_967_295] {
            push_number(&mut s, n);
            s.push(' ');
        }
        assert_eq!(s, "0 7 10 4294967295 ");
        let mut s = String::new();
        push_one_line(&mut s, "a\r\nb\nc\rd é");
        assert_eq!(s, "a  b c d é");
    }
}
