#!/bin/sh
# azd postdeploy hook (azure.yaml). Event Grid calls a webhook to validate it while the subscription is created, so the
# ACS IncomingCall subscription can only be made once the app runs and answers /acs/events. After the first deploy
# this waits for the app to be ready, sets ACS_EVENT_SUBSCRIPTION=true and provisions again; from then on every
# provision keeps the subscription. azd passes the environment's values (the provision outputs) as variables.
#
#   ACS_INCOMING_CALL_SUBSCRIBED  output of the last provision: "true" once the subscription exists (then: nothing to do)
#   RECEPTIONIST_SKIP_EVENT_SUBSCRIPTION=true  (azd env set) keeps the hook from subscribing; ACS then gets no calls
#   RECEPTIONIST_READY_TIMEOUT    seconds to wait for /readyz (default 300); RECEPTIONIST_READY_INTERVAL (default 5)
set -eu

if [ "${ACS_INCOMING_CALL_SUBSCRIBED:-false}" = "true" ]; then
  echo "postdeploy: the ACS IncomingCall subscription exists already."
  exit 0
fi

if [ "${RECEPTIONIST_SKIP_EVENT_SUBSCRIPTION:-false}" = "true" ]; then
  echo "postdeploy: RECEPTIONIST_SKIP_EVENT_SUBSCRIPTION=true, so no Event Grid subscription (ACS numbers will not be answered)."
  exit 0
fi

url="${SERVICE_RECEPTIONIST_URI:-}"
if [ -z "$url" ]; then
  echo "postdeploy: SERVICE_RECEPTIONIST_URI is not set; run 'azd provision' first." >&2
  exit 1
fi

timeout="${RECEPTIONIST_READY_TIMEOUT:-300}"
interval="${RECEPTIONIST_READY_INTERVAL:-5}"
waited=0
echo "postdeploy: waiting for $url/readyz before Event Grid validates $url/acs/events …"
until curl --silent --fail --max-time 10 --output /dev/null "$url/readyz"; do
  if [ "$waited" -ge "$timeout" ]; then
    echo "postdeploy: $url/readyz did not answer 200 within ${timeout}s, so the Event Grid subscription was not created." >&2
    echo "postdeploy: see the app's logs (docs/deploy.md, Troubleshooting), then run 'azd deploy' again (this hook runs after it)" >&2
    exit 1
  fi
  sleep "$interval"
  waited=$((waited + interval))
done

echo "postdeploy: the app is ready; provisioning again to create the ACS IncomingCall subscription."
azd env set ACS_EVENT_SUBSCRIPTION true
# The app exists now: provisioning must keep the image just deployed.
azd env set SERVICE_RECEPTIONIST_RESOURCE_EXISTS true
azd provision --no-prompt
