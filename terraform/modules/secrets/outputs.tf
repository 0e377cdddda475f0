output "secret_ids" {
  description = "Secret id by name."
  value       = { for name, secret in google_secret_manager_secret.this : name => secret.secret_id }
}
