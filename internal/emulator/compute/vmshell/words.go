package vmshell

import (
	"fmt"
	"strconv"
	"strings"
)

// word is one word of a command line: its text once quotes are removed,
// and whether it is an operator (a redirection) rather than an argument.
type word struct {
	text string
	op   bool
}

// errUnsupported is a line using shell syntax outside the subset.
type errUnsupported struct{ what string }

func (e errUnsupported) Error() string { return e.what }

// shellWords splits a Linux shell line into words: '...' literal, "..."
// with \ escapes and $? (the last exit code), a bare # starting a comment,
// and the redirections >, >>, 2>&1, 2>FILE. Pipes, lists, substitutions
// and variables are refused: they are outside the subset.
func shellWords(line string, lastExit int) ([]word, error) {
	var out []word
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			out = append(out, word{text: cur.String()})
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !inWord:
			return out, nil
		case c == '\'':
			inWord = true
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, errUnsupported{"unterminated single quote"}
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			inWord = true
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				switch {
				case line[i] == '\\' && i+1 < len(line) && strings.IndexByte(`"\$`+"`", line[i+1]) >= 0:
					i++
					cur.WriteByte(line[i])
				case strings.HasPrefix(line[i:], "$?"):
					cur.WriteString(strconv.Itoa(lastExit))
					i++
				case line[i] == '$' || line[i] == '`':
					return nil, errUnsupported{"variables and command substitution"}
				default:
					cur.WriteByte(line[i])
				}
			}
			if i >= len(line) {
				return nil, errUnsupported{"unterminated double quote"}
			}
		case c == '\\' && i+1 < len(line):
			inWord = true
			i++
			cur.WriteByte(line[i])
		case c == '>' || (c == '2' && !inWord && strings.HasPrefix(line[i:], "2>")):
			flush()
			op := ">"
			switch {
			case strings.HasPrefix(line[i:], "2>&1"):
				op = "2>&1"
			case strings.HasPrefix(line[i:], "2>"):
				op = "2>"
			case strings.HasPrefix(line[i:], ">>"):
				op = ">>"
			}
			out = append(out, word{text: op, op: true})
			i += len(op) - 1
		case strings.IndexByte("|;&<`()", c) >= 0:
			return nil, errUnsupported{fmt.Sprintf("the shell operator %q (one simple command per line)", string(c))}
		case c == '$':
			if strings.HasPrefix(line[i:], "$?") {
				inWord = true
				cur.WriteString(strconv.Itoa(lastExit))
				i++
				continue
			}
			return nil, errUnsupported{"variables and command substitution"}
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	flush()
	return out, nil
}

// psWords splits a PowerShell line into words: '...' literal (” is a
// quote), "..." literal (no variable expansion), a bare # starting a
// comment, and one parenthesised expression kept whole with its
// parentheses (only ([DateTime]::UtcNow.ToString('o')) is understood).
func psWords(line string) ([]word, error) {
	var out []word
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			out = append(out, word{text: cur.String()})
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !inWord:
			return out, nil
		case c == '\'':
			inWord = true
			for i++; ; i++ {
				if i >= len(line) {
					return nil, errUnsupported{"unterminated single quote"}
				}
				if line[i] == '\'' {
					if i+1 < len(line) && line[i+1] == '\'' {
						cur.WriteByte('\'')
						i++
						continue
					}
					break
				}
				cur.WriteByte(line[i])
			}
		case c == '"':
			inWord = true
			j := strings.IndexByte(line[i+1:], '"')
			if j < 0 {
				return nil, errUnsupported{"unterminated double quote"}
			}
			s := line[i+1 : i+1+j]
			if strings.ContainsAny(s, "$`") {
				return nil, errUnsupported{"variables in double quotes"}
			}
			cur.WriteString(s)
			i += j + 1
		case c == '(' && !inWord:
			depth, j := 0, i
			for ; j < len(line); j++ {
				if line[j] == '(' {
					depth++
				} else if line[j] == ')' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			if j >= len(line) {
				return nil, errUnsupported{"unbalanced parentheses"}
			}
			out = append(out, word{text: line[i : j+1], op: true})
			i = j
		case strings.IndexByte("|;&", c) >= 0:
			return nil, errUnsupported{fmt.Sprintf("the operator %q (one simple command per line)", string(c))}
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	flush()
	return out, nil
}
