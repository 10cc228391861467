# azd postdeploy hook for Windows (azure.yaml); the same steps as postdeploy.sh, which says why.
$ErrorActionPreference = 'Stop'

if ($env:ACS_INCOMING_CALL_SUBSCRIBED -eq 'true') {
    Write-Host 'postdeploy: the ACS IncomingCall subscription exists already.'
    exit 0
}

if ($env:RECEPTIONIST_SKIP_EVENT_SUBSCRIPTION -eq 'true') {
    Write-Host 'postdeploy: RECEPTIONIST_SKIP_EVENT_SUBSCRIPTION=true, so no Event Grid subscription (ACS numbers will not be answered).'
    exit 0
}

$url = $env:SERVICE_RECEPTIONIST_URI
if ([string]::IsNullOrEmpty($url)) {
    Write-Error "postdeploy: SERVICE_RECEPTIONIST_URI is not set; run 'azd provision' first."
    exit 1
}

$timeout = if ($env:RECEPTIONIST_READY_TIMEOUT) { [int]$env:RECEPTIONIST_READY_TIMEOUT } else { 300 }
$interval = if ($env:RECEPTIONIST_READY_INTERVAL) { [int]$env:RECEPTIONIST_READY_INTERVAL } else { 5 }
$waited = 0
Write-Host "postdeploy: waiting for $url/readyz before Event Grid validates $url/acs/events ..."
while ($true) {
    try {
        $response = Invoke-WebRequest -Uri "$url/readyz" -UseBasicParsing -TimeoutSec 10
        if ($response.StatusCode -eq 200) { break }
    } catch {
        # not ready yet
    }
    if ($waited -ge $timeout) {
        Write-Error "postdeploy: $url/readyz did not answer 200 within ${timeout}s, so the Event Grid subscription was not created. See the app's logs (docs/deploy.md, Troubleshooting), then run: azd deploy (this hook runs after it)"
        exit 1
    }
    Start-Sleep -Seconds $interval
    $waited += $interval
}

Write-Host 'postdeploy: the app is ready; provisioning again to create the ACS IncomingCall subscription.'
azd env set ACS_EVENT_SUBSCRIPTION true
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
azd env set SERVICE_RECEPTIONIST_RESOURCE_EXISTS true
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
azd provision --no-prompt
exit $LASTEXITCODE
