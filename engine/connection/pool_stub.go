package connection

import "context"

type Pool struct{}

func NewPool() *Pool                                                 { return &Pool{} }
func (p *Pool) Get(ctx context.Context, params Params) (Conn, error) { return nil, nil }
func (p *Pool) CloseAll()                                            {}
func (p *Pool) Reset(host string)                                    {}
