output "instance_id" {
  description = "The instance id (BIGTABLE_INSTANCE)."
  value       = google_bigtable_instance.this.name
}

output "app_profile_id" {
  description = "The services' app profile (BIGTABLE_APP_PROFILE)."
  value       = google_bigtable_app_profile.services.app_profile_id
}

output "table_names" {
  description = "Table name by table key."
  value       = { for key, table in google_bigtable_table.this : key => table.name }
}
