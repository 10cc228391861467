#!/bin/sh
# azd postdown hook (azure.yaml): the resources are gone, so forget what the postdeploy hook recorded about them;
# the next `azd up` then starts like the first one (placeholder image, subscription after the deploy).
set -eu
azd env set SERVICE_RECEPTIONIST_RESOURCE_EXISTS false
azd env set ACS_EVENT_SUBSCRIPTION false
echo "postdown: reset SERVICE_RECEPTIONIST_RESOURCE_EXISTS and ACS_EVENT_SUBSCRIPTION for the next 'azd up'."
