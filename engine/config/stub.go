package config

type Config struct{}

func Load() (*Config, error)                  { return &Config{}, nil }
func (c *Config) File() string                { return "" }
func (c *Config) Get(name string) (any, bool) { return nil, false }
func (c *Config) String(name string) string   { return "" }
func (c *Config) Bool(name string) bool       { return false }
func (c *Config) Int(name string) int         { return 0 }
func (c *Config) List(name string) []string   { return nil }
func (c *Config) Origin(name string) string   { return "default" }
