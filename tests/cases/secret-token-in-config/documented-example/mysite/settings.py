# AWS documents this key: AKIAIOSFODNN7EXAMPLE
AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
GITHUB_TOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
STRIPE_KEY = "sk_test_HardenTestKeyNotReal4c9Q2m7Z"
