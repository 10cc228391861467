// The Container Apps environment and the app itself. One revision at a time, external HTTPS ingress on 8080 (plain
// HTTP/1.1 to the container, so WebSocket upgrades for Twilio ConversationRelay and media streams pass through), the
// user-assigned identity for everything, scale on concurrent HTTP requests.

param environmentName string
param appName string
param location string
param tags object

@description('Tag azd finds the service by; must equal the service name in azure.yaml.')
param serviceName string

param workspaceName string
param appInsightsName string

param identityId string
param identityClientId string
param registryServer string

@description('The image azd deployed; empty before the first `azd deploy` (then a placeholder runs).')
param image string = ''

@minValue(0)
@maxValue(300)
param minReplicas int

@minValue(1)
@maxValue(300)
param maxReplicas int

@minValue(1)
@description('Concurrent HTTP requests (WebSocket sessions included) per replica before another replica is added.')
param concurrentRequests int

@description('vCPU per replica, e.g. "0.5", "1.0" (memory must be 2 GiB per vCPU on the Consumption profile).')
param cpu string

param memory string

@description('Where the app finds the services it uses; each becomes one environment variable (names fixed by the app).')
param config appConfig

type appConfig = {
  @description('Storage__TableEndpoint, Storage__QueueEndpoint, Storage__BlobEndpoint: the account\'s primary endpoints.')
  storageTableEndpoint: string
  storageQueueEndpoint: string
  storageBlobEndpoint: string
  @description('KeyVault__Uri: where the app reads Twilio--AuthToken, Acs--CallbackSecret and Acs--EventGrid--Secret.')
  keyVaultUri: string
  @description('OpenAI__Endpoint (https://<account>.openai.azure.com/) and OpenAI__Deployment.')
  openAiEndpoint: string
  openAiDeployment: string
  @description('Speech__Endpoint and Speech__ResourceId: the AI services account (its custom domain, and its id for Entra ID tokens).')
  speechEndpoint: string
  speechResourceId: string
  @description('Acs__Endpoint (https://<acs host>), Acs__CognitiveServicesEndpoint, Acs__ResourceId (immutable id).')
  acsEndpoint: string
  acsCognitiveServicesEndpoint: string
  acsResourceId: string
  @description('Twilio__AccountSid; may be empty.')
  twilioAccountSid: string
}

// Listens on 8080 and serves /healthz like the app, so the first provision (before any image is pushed) succeeds.
var placeholderImage = 'mcr.microsoft.com/dotnet/samples:aspnetapp'
var appImage = empty(image) ? placeholderImage : image
var deployed = appImage != placeholderImage
var port = 8080
var publicBaseUrl = 'https://${appName}.${env.properties.defaultDomain}'

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' existing = {
  name: workspaceName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource env 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
  }
}

resource app 'Microsoft.App/containerApps@2025-07-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: env.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: port
        // HTTP/1.1 to the container: WebSockets are an HTTP/1.1 upgrade (http2 would break them; auto would also work).
        transport: 'http'
        allowInsecure: false
        traffic: [
          {
            latestRevision: true
            weight: 100
          }
        ]
      }
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
      secrets: [
        {
          name: 'appinsights-connection-string'
          value: appInsights.properties.ConnectionString
        }
      ]
    }
    template: {
      // A call in progress keeps its WebSocket; give it time to finish when a replica is scaled in or replaced.
      terminationGracePeriodSeconds: 120
      containers: [
        {
          name: serviceName
          image: appImage
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: [
            { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
            { name: 'ASPNETCORE_HTTP_PORTS', value: string(port) }
            // Behind the Container Apps ingress: client address and scheme from X-Forwarded-* (docs/owners.md).
            { name: 'ASPNETCORE_FORWARDEDHEADERS_ENABLED', value: 'true' }
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
            { name: 'PublicBaseUrl', value: publicBaseUrl }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', secretRef: 'appinsights-connection-string' }
            { name: 'Storage__TableEndpoint', value: config.storageTableEndpoint }
            { name: 'Storage__QueueEndpoint', value: config.storageQueueEndpoint }
            { name: 'Storage__BlobEndpoint', value: config.storageBlobEndpoint }
            { name: 'KeyVault__Uri', value: config.keyVaultUri }
            { name: 'OpenAI__Endpoint', value: config.openAiEndpoint }
            { name: 'OpenAI__Deployment', value: config.openAiDeployment }
            { name: 'Speech__Endpoint', value: config.speechEndpoint }
            { name: 'Speech__ResourceId', value: config.speechResourceId }
            { name: 'Acs__Endpoint', value: config.acsEndpoint }
            { name: 'Acs__CognitiveServicesEndpoint', value: config.acsCognitiveServicesEndpoint }
            { name: 'Acs__ResourceId', value: config.acsResourceId }
            { name: 'Twilio__AccountSid', value: config.twilioAccountSid }
          ]
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/healthz'
                port: port
              }
              initialDelaySeconds: 2
              periodSeconds: 3
              failureThreshold: 40
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: port
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                // The placeholder has no /readyz.
                path: deployed ? '/readyz' : '/healthz'
                port: port
              }
              periodSeconds: 5
              timeoutSeconds: 3
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http-concurrency'
            http: {
              metadata: {
                concurrentRequests: string(concurrentRequests)
              }
            }
          }
        ]
      }
    }
  }
}

output environmentName string = env.name
output appName string = app.name
output uri string = 'https://${app.properties.configuration.ingress.fqdn}'
output publicBaseUrl string = publicBaseUrl
@description('True once the app runs an image azd deployed (not the placeholder).')
output deployed bool = deployed
