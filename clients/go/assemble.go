// Assembly: a stream's events or a completion's choices into what the client reports (see
// clients/README.md). Streams: a bufio.Scanner with a split function for SSE line ends (LF, CRLF, CR);
// lines are bytes until they are complete, so a UTF-8 character split across network reads is whole
// when decoded.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

type callState struct {
	id, name string
	args     strings.Builder
}

type choiceState struct {
	content, reasoning, refusal strings.Builder
	calls                       map[int]*callState
	order                       []int
	last                        int
	finish                      string
}

func newChoice() *choiceState { return &choiceState{calls: map[int]*callState{}, last: -1} }

func (s *choiceState) add(c wireChoice) {
	d := c.Delta
	if d != nil {
		if d.Content != nil {
			s.content.WriteString(*d.Content)
		}
		if d.ReasoningContent != nil {
			s.reasoning.WriteString(*d.ReasoningContent)
		} else if d.Reasoning != nil {
			s.reasoning.WriteString(*d.Reasoning)
		}
		if d.Refusal != nil {
			s.refusal.WriteString(*d.Refusal)
		}
		for _, f := range d.ToolCalls {
			var index int
			switch {
			case f.Index != nil:
				index = *f.Index
			case f.ID != "" && !s.knownID(f.ID):
				index = len(s.calls)
			case s.last >= 0:
				index = s.last
			}
			call, ok := s.calls[index]
			if !ok {
				call = &callState{}
				s.calls[index] = call
				s.order = append(s.order, index)
			}
			s.last = index
			if f.ID != "" {
				call.id = f.ID
			}
			if f.Function.Name != "" {
				call.name = f.Function.Name
			}
			if f.Function.Arguments != nil {
				call.args.WriteString(*f.Function.Arguments)
			}
		}
	}
	if c.FinishReason != nil && *c.FinishReason != "" {
		s.finish = *c.FinishReason
	}
}

func (s *choiceState) knownID(id string) bool {
	for _, c := range s.calls {
		if c.id == id {
			return true
		}
	}
	return false
}

func (s *choiceState) result() outChoice {
	out := outChoice{Content: nonEmpty(s.content.String()), Reasoning: s.reasoning.String(), Refusal: s.refusal.String(), FinishReason: s.finish}
	idx := append([]int(nil), s.order...)
	sort.Ints(idx)
	for _, i := range idx {
		c := s.calls[i]
		out.ToolCalls = append(out.ToolCalls, outCall{ID: c.id, Name: c.name, Arguments: parseArguments(c.args.String())})
	}
	return out
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func parseArguments(text string) interface{} {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v interface{}
	if err := dec.Decode(&v); err != nil || dec.More() {
		return text
	}
	if _, err := dec.Token(); err != io.EOF {
		return text
	}
	return v
}

// errorOf: {"error": {...}} or {"error": "text"} or vLLM's flat {"object": "error", ...}
func errorOf(b *wireBody, status int) *outError {
	var typ, code json.RawMessage
	switch {
	case len(b.Error) > 0 && b.Error[0] == '{':
		var e wireError
		if json.Unmarshal(b.Error, &e) != nil {
			return nil
		}
		typ, code = e.Type, e.Code
	case len(b.Error) > 0 && b.Error[0] == '"':
	case b.Object == "error":
		typ, code = b.Type, b.Code
	default:
		return nil
	}
	out := &outError{Status: status}
	var s string
	if json.Unmarshal(typ, &s) == nil {
		out.Type = &s
	}
	if len(code) > 0 && string(code) != "null" {
		var c string
		if json.Unmarshal(code, &c) != nil {
			c = string(code) // a number
		}
		out.Code = &c
	}
	return out
}

func attach(out *output, list []outChoice) {
	if len(list) > 0 {
		out.outChoice = list[0]
	}
	if len(list) > 1 {
		out.Choices = list
	}
}

// sseLines splits at LF, CRLF or CR; a CR at the end of the buffer waits for more data.
func sseLines(data []byte, atEOF bool) (int, []byte, error) {
	for i, b := range data {
		if b == '\n' {
			return i + 1, data[:i], nil
		}
		if b == '\r' {
			if i+1 < len(data) {
				if data[i+1] == '\n' {
					return i + 2, data[:i], nil
				}
				return i + 1, data[:i], nil
			}
			if atEOF {
				return i + 1, data[:i], nil
			}
			return 0, nil, nil
		}
	}
	if atEOF {
		return len(data), nil, nil // an unterminated last line is dropped
	}
	return 0, nil, nil
}

func assembleStream(body io.Reader, status int, out *output) error {
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	sc.Split(sseLines)
	choices := map[int]*choiceState{}
	var data []string
	hasData := false
	first := true
	dispatch := func(event string) (bool, error) {
		if strings.TrimSpace(event) == "[DONE]" {
			return true, nil
		}
		var chunk wireBody
		if err := json.Unmarshal([]byte(event), &chunk); err != nil {
			return true, fmt.Errorf("event is not JSON: %v", err)
		}
		if e := errorOf(&chunk, status); e != nil {
			out.Error = e
			return true, nil
		}
		if chunk.Usage != nil {
			out.Usage = chunk.Usage
		}
		for _, c := range chunk.Choices {
			s, ok := choices[c.Index]
			if !ok {
				s = newChoice()
				choices[c.Index] = s
			}
			s.add(c)
		}
		return false, nil
	}
	for sc.Scan() {
		line := sc.Text()
		if first {
			first = false
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if line == "" {
			if !hasData {
				continue
			}
			stop, err := dispatch(strings.Join(data, "\n"))
			data, hasData = nil, false
			if err != nil {
				return err
			}
			if stop {
				break
			}
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue // comment (keep-alive)
		}
		field, value := line, ""
		if i := strings.IndexByte(line, ':'); i >= 0 {
			field, value = line[:i], strings.TrimPrefix(line[i+1:], " ")
		}
		if field == "data" {
			data = append(data, value)
			hasData = true
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	idx := make([]int, 0, len(choices))
	for i := range choices {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	list := make([]outChoice, 0, len(idx))
	for _, i := range idx {
		list = append(list, choices[i].result())
	}
	attach(out, list)
	return nil
}

func assembleCompletion(b *wireBody, out *output) {
	list := append([]wireChoice(nil), b.Choices...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].Index < list[j].Index })
	results := make([]outChoice, 0, len(list))
	for _, c := range list {
		m := c.Message
		if m == nil {
			m = &wireMessage{}
		}
		r := outChoice{}
		if m.Content != nil {
			r.Content = nonEmpty(*m.Content)
		}
		if m.ReasoningContent != nil {
			r.Reasoning = *m.ReasoningContent
		} else if m.Reasoning != nil {
			r.Reasoning = *m.Reasoning
		}
		if m.Refusal != nil {
			r.Refusal = *m.Refusal
		}
		for _, t := range m.ToolCalls {
			args := ""
			if t.Function.Arguments != nil {
				args = *t.Function.Arguments
			}
			r.ToolCalls = append(r.ToolCalls, outCall{ID: t.ID, Name: t.Function.Name, Arguments: parseArguments(args)})
		}
		if c.FinishReason != nil {
			r.FinishReason = *c.FinishReason
		}
		results = append(results, r)
	}
	attach(out, results)
	out.Usage = b.Usage
}
