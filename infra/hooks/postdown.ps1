# azd postdown hook for Windows (azure.yaml); the same steps as postdown.sh, which says why.
$ErrorActionPreference = 'Stop'
azd env set SERVICE_RECEPTIONIST_RESOURCE_EXISTS false
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
azd env set ACS_EVENT_SUBSCRIPTION false
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Write-Host "postdown: reset SERVICE_RECEPTIONIST_RESOURCE_EXISTS and ACS_EVENT_SUBSCRIPTION for the next 'azd up'."
