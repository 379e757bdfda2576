package fleet

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// CockpitAnswers fetches Cockpit's login page from addr (host:port) over
// HTTPS, accepting its self-signed certificate, and returns an error
// unless it is Cockpit's.
func CockpitAnswers(addr string) error {
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
	}
	resp, err := client.Get("https://" + addr + "/")
	if err != nil {
		return fmt.Errorf("cockpit at %s: %w", addr, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("cockpit at %s: %w", addr, err)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(strings.ToLower(string(body)), "cockpit") {
		return fmt.Errorf("cockpit at %s: %s, not Cockpit's login page:\n%.300s", addr, resp.Status, body)
	}
	return nil
}
