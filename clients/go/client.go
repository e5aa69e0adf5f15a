// Client: Go with the standard library only (net/http, bufio, encoding/json), one package in three
// files: client.go (jobs, requests, output), wire.go (what is read and printed), assemble.go (streams
// and completions into what a client reports). Run: `go run client.go wire.go assemble.go`.
//
// Reads jobs from stdin (JSON Lines: {"scenario": ID, "request": {...}}), sends each request to
// $OAI_BASE_URL/chat/completions with the header x-mock-scenario, prints one JSON line per job with
// what it assembled (see clients/README.md).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

var (
	baseURL = strings.TrimRight(envOr("OAI_BASE_URL", "http://127.0.0.1:4010/v1"), "/")
	apiKey  = envOr("OAI_API_KEY", "sk-mock")
	client  = &http.Client{Timeout: 30 * time.Second}
)

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

type job struct {
	Scenario string            `json:"scenario"`
	Request  json.RawMessage   `json:"request"`
	Headers  map[string]string `json:"headers"`
}

func run(j job, out *output) error {
	req, err := http.NewRequest("POST", baseURL+"/chat/completions", bytes.NewReader(j.Request))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream, application/json")
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("x-mock-scenario", j.Scenario)
	for name, value := range j.Headers {
		req.Header.Set(name, value)
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode < 300 && strings.Contains(res.Header.Get("Content-Type"), "text/event-stream") {
		return assembleStream(res.Body, res.StatusCode, out)
	}
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	var b wireBody
	if err := json.Unmarshal(raw, &b); err != nil {
		if res.StatusCode >= 400 {
			out.Error = &outError{Status: res.StatusCode}
			return nil
		}
		return err
	}
	if e := errorOf(&b, res.StatusCode); e != nil {
		out.Error = e
		return nil
	}
	if res.StatusCode >= 400 {
		out.Error = &outError{Status: res.StatusCode}
		return nil
	}
	assembleCompletion(&b, out)
	return nil
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1024*1024), 256*1024*1024)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		var j job
		if err := json.Unmarshal([]byte(line), &j); err != nil {
			fmt.Fprintln(os.Stderr, "bad job:", err)
			os.Exit(2)
		}
		out := output{Scenario: j.Scenario}
		if err := run(j, &out); err != nil {
			out = output{Scenario: j.Scenario, Exception: err.Error()}
		}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(os.Stderr, "cannot write:", err)
			os.Exit(2)
		}
		w.Flush()
	}
}
