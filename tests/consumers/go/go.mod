module rssignal-go-consumer

go 1.21

require rssignal/bindings/go v0.0.0

replace rssignal/bindings/go => ../../../bindings/go
