// What the Go client reads from the wire (only those fields) and what it prints for each job.
package main

import "encoding/json"

type wireFunction struct {
	Name      string  `json:"name"`
	Arguments *string `json:"arguments"`
}

type wireToolCall struct {
	Index    *int         `json:"index"`
	ID       string       `json:"id"`
	Function wireFunction `json:"function"`
}

type wireMessage struct {
	Content          *string        `json:"content"`
	ReasoningContent *string        `json:"reasoning_content"`
	Reasoning        *string        `json:"reasoning"`
	Refusal          *string        `json:"refusal"`
	ToolCalls        []wireToolCall `json:"tool_calls"`
}

type wireChoice struct {
	Index        int          `json:"index"`
	Message      *wireMessage `json:"message"`
	Delta        *wireMessage `json:"delta"`
	FinishReason *string      `json:"finish_reason"`
}

type wireUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

type wireError struct {
	Type json.RawMessage `json:"type"`
	Code json.RawMessage `json:"code"`
}

type wireBody struct {
	Choices []wireChoice    `json:"choices"`
	Usage   *wireUsage      `json:"usage"`
	Error   json.RawMessage `json:"error"`
	Object  string          `json:"object"`
	Type    json.RawMessage `json:"type"`
	Code    json.RawMessage `json:"code"`
}

// ---- output ---------------------------------------------------------------------------------------

type outCall struct {
	ID        string      `json:"id,omitempty"`
	Name      string      `json:"name"`
	Arguments interface{} `json:"arguments"`
}

type outChoice struct {
	Content      *string   `json:"content"`
	Reasoning    string    `json:"reasoning,omitempty"`
	Refusal      string    `json:"refusal,omitempty"`
	ToolCalls    []outCall `json:"tool_calls,omitempty"`
	FinishReason string    `json:"finish_reason,omitempty"`
}

type outError struct {
	Status int     `json:"status"`
	Type   *string `json:"type"`
	Code   *string `json:"code"`
}

type output struct {
	Scenario string `json:"scenario"`
	outChoice
	Choices   []outChoice `json:"choices,omitempty"`
	Usage     *wireUsage  `json:"usage,omitempty"`
	Error     *outError   `json:"error,omitempty"`
	Exception string      `json:"exception,omitempty"`
}
