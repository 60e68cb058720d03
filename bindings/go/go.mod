module rssignal/bindings/go

go 1.21
