module gorun

go 1.26.8

require gopkg.in/yaml.v3 v3.0.1

require github.com/BurntSushi/toml v1.6.0
