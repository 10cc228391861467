// The image the container app runs now, so that provisioning again (for instance from the postdeploy hook) keeps the
// image `azd deploy` put there instead of resetting it to the placeholder.

@description('Whether the container app exists already (azd sets SERVICE_RECEPTIONIST_RESOURCE_EXISTS).')
param exists bool

param name string

resource app 'Microsoft.App/containerApps@2025-07-01' existing = if (exists) {
  name: name
}

output image string = exists ? (app.?properties.template.?containers[?0].?image ?? '') : ''
