module rssignal-hostile-golib

go 1.21
