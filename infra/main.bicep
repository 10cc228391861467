// Receptionist on Azure: `azd up` provisions this (one resource group) and deploys the app's image.
// Modules are local (infra/modules) so CI compiles everything offline. See docs/deploy.md.
targetScope = 'subscription'

@minLength(1)
@maxLength(48)
@description('The azd environment name (AZURE_ENV_NAME): the resource group is rg-<name>; resource names derive from it.')
param environmentName string

@minLength(1)
@description('Region for every regional resource (AZURE_LOCATION). It must offer Container Apps, AI services and the model below.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of whoever runs azd (AZURE_PRINCIPAL_ID): gets Key Vault Secrets Officer and Storage Table Data Contributor. Empty: nobody.')
param principalId string = ''

@description('Twilio account SID (TWILIO_ACCOUNT_SID); empty when the Twilio channel is not used yet.')
param twilioAccountSid string = ''

@secure()
@description('Twilio auth token (TWILIO_AUTH_TOKEN), stored as the Key Vault secret Twilio--AuthToken. Empty: no secret is written.')
param twilioAuthToken string = ''

@secure()
@minLength(16)
@description('Signs the per-call token in ACS callback URIs (Key Vault Acs--CallbackSecret). azd generates it once per environment and reuses it.')
@metadata({ azd: { type: 'generate', config: { length: 40, noSpecial: true } } })
param acsCallbackSecret string

@secure()
@minLength(16)
@description('The ?code= Event Grid must send to /acs/events (Key Vault Acs--EventGrid--Secret). azd generates it once per environment and reuses it.')
@metadata({ azd: { type: 'generate', config: { length: 40, noSpecial: true } } })
param eventGridSecret string

@description('Create the Event Grid subscription for ACS IncomingCall (ACS_EVENT_SUBSCRIPTION). The postdeploy hook turns it on once the app runs: Event Grid validates the endpoint while creating it.')
param deployEventSubscription bool = false

@description('Whether the container app exists already (SERVICE_RECEPTIONIST_RESOURCE_EXISTS, set by azd): its current image is kept.')
param receptionistExists bool = false

@description('ACS data location, e.g. "United States", "Europe", "UK", "Australia" (fixed once created).')
param acsDataLocation string = 'United States'

@description('Name of the OpenAI model deployment the app sends requests to.')
param openAiDeploymentName string = 'gpt-4o-mini'

param openAiModelName string = 'gpt-4o-mini'
param openAiModelVersion string = '2024-07-18'

@allowed([
  'GlobalStandard'
  'DataZoneStandard'
  'Standard'
])
param openAiDeploymentSku string = 'GlobalStandard'

@minValue(1)
@description('Model capacity in thousands of tokens per minute (a receptionist uses a few hundred tokens per caller turn).')
param openAiCapacity int = 30

@minValue(0)
@maxValue(300)
@description('Replicas always running. 1 keeps the first call of the day from waiting for a cold start; 0 costs nothing while idle.')
param minReplicas int = 1

@minValue(1)
@maxValue(300)
param maxReplicas int = 5

@minValue(1)
@description('Concurrent HTTP requests or WebSocket sessions per replica before another replica starts.')
param httpConcurrentRequests int = 50

@description('vCPU per replica ("0.5", "1.0", "2.0"…).')
param containerCpu string = '1.0'

@description('Memory per replica: 2 GiB per vCPU on the Consumption profile.')
param containerMemory string = '2Gi'

@description('Key Vault purge protection (cannot be switched off again; blocks `azd down --purge` for the vault).')
param keyVaultPurgeProtection bool = false

@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteDays int = 7

@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

var serviceName = 'receptionist'
var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))
var names = {
  workspace: 'log-${token}'
  appInsights: 'appi-${token}'
  identity: 'id-${token}'
  storage: 'st${token}'
  registry: 'cr${token}'
  vault: 'kv-${token}'
  ai: 'ais-${token}'
  acs: 'acs-${token}'
  topic: 'evgt-acs-${token}'
  environment: 'cae-${token}'
  app: 'ca-${serviceName}-${token}'
}

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module identity 'modules/identity.bicep' = {
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
  }
}

module registry 'modules/registry.bicep' = {
  scope: rg
  params: {
    name: names.registry
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
  }
}

module vault 'modules/keyvault.bicep' = {
  scope: rg
  params: {
    name: names.vault
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    softDeleteRetentionInDays: keyVaultSoftDeleteDays
    enablePurgeProtection: keyVaultPurgeProtection
    twilioAuthToken: twilioAuthToken
    acsCallbackSecret: acsCallbackSecret
    eventGridSecret: eventGridSecret
  }
}

module communication 'modules/communication.bicep' = {
  scope: rg
  params: {
    name: names.acs
    tags: tags
    dataLocation: acsDataLocation
    appPrincipalId: identity.outputs.principalId
  }
}

module ai 'modules/ai.bicep' = {
  scope: rg
  params: {
    name: names.ai
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    acsPrincipalId: communication.outputs.principalId
    deploymentName: openAiDeploymentName
    modelName: openAiModelName
    modelVersion: openAiModelVersion
    deploymentSku: openAiDeploymentSku
    capacity: openAiCapacity
  }
}

module currentImage 'modules/current-image.bicep' = {
  scope: rg
  params: {
    exists: receptionistExists
    name: names.app
  }
}

module app 'modules/containerapp.bicep' = {
  scope: rg
  params: {
    environmentName: names.environment
    appName: names.app
    location: location
    tags: tags
    serviceName: serviceName
    workspaceName: monitoring.outputs.workspaceName
    appInsightsName: monitoring.outputs.appInsightsName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    registryServer: registry.outputs.loginServer
    image: currentImage.outputs.image
    minReplicas: minReplicas
    maxReplicas: maxReplicas
    concurrentRequests: httpConcurrentRequests
    cpu: containerCpu
    memory: containerMemory
    config: {
      storageTableEndpoint: storage.outputs.tableEndpoint
      storageQueueEndpoint: storage.outputs.queueEndpoint
      storageBlobEndpoint: storage.outputs.blobEndpoint
      keyVaultUri: vault.outputs.vaultUri
      openAiEndpoint: ai.outputs.openAiEndpoint
      openAiDeployment: ai.outputs.deploymentName
      speechEndpoint: ai.outputs.endpoint
      speechResourceId: ai.outputs.id
      acsEndpoint: communication.outputs.endpoint
      acsCognitiveServicesEndpoint: ai.outputs.endpoint
      acsResourceId: communication.outputs.immutableResourceId
      twilioAccountSid: twilioAccountSid
    }
  }
}

module eventGrid 'modules/eventgrid.bicep' = {
  scope: rg
  params: {
    topicName: names.topic
    acsName: communication.outputs.name
    tags: tags
    subscribe: deployEventSubscription && app.outputs.deployed
    endpointUrl: '${app.outputs.uri}/acs/events?code=${uriComponent(eventGridSecret)}'
  }
}

// Outputs land in .azure/<env>/.env. None of them is a secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = subscription().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_ENVIRONMENT_NAME string = app.outputs.environmentName
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output SERVICE_RECEPTIONIST_NAME string = app.outputs.appName
output SERVICE_RECEPTIONIST_URI string = app.outputs.uri
output PUBLIC_BASE_URL string = app.outputs.publicBaseUrl
output TWILIO_VOICE_WEBHOOK_URL string = '${app.outputs.uri}/twilio/voice'
output TWILIO_STATUS_CALLBACK_URL string = '${app.outputs.uri}/twilio/status'
output TWILIO_SMS_WEBHOOK_URL string = '${app.outputs.uri}/twilio/sms'
output ACS_EVENTS_URL string = '${app.outputs.uri}/acs/events'
output ACS_RESOURCE_NAME string = communication.outputs.name
output ACS_ENDPOINT string = communication.outputs.endpoint
output ACS_EVENT_GRID_TOPIC_NAME string = eventGrid.outputs.topicName
output ACS_INCOMING_CALL_SUBSCRIBED bool = eventGrid.outputs.subscribed
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_VAULT_NAME string = vault.outputs.name
output AZURE_VAULT_URI string = vault.outputs.vaultUri
output AZURE_AI_SERVICES_NAME string = ai.outputs.name
output AZURE_AI_SERVICES_ENDPOINT string = ai.outputs.endpoint
output OPENAI_DEPLOYMENT string = ai.outputs.deploymentName
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.appInsightsName
output AZURE_LOG_ANALYTICS_NAME string = monitoring.outputs.workspaceName
