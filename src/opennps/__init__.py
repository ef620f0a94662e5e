"""OpenNPS: self-hosted Net Promoter Score."""
