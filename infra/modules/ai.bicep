// Azure AI services (kind AIServices): the OpenAI model deployment the app's language assist uses, and Speech, which
// ACS uses to speak and recognise callers. Keys are off: everyone authenticates with Entra ID, which also needs the
// custom subdomain.

param name string
param location string
param tags object

@description('The app identity: Cognitive Services User and Cognitive Services OpenAI User.')
param appPrincipalId string

@description('The ACS resource\'s system-assigned identity: Cognitive Services User (ACS speaks and listens through this account).')
param acsPrincipalId string

param deploymentName string
param modelName string
param modelVersion string

@description('Deployment type, e.g. GlobalStandard (pay per token, global routing) or Standard (in-region).')
param deploymentSku string

@description('Capacity in thousands of tokens per minute.')
param capacity int

var roles = {
  cognitiveServicesUser: 'a97b65f3-24c7-4388-baec-2e87135dc908'
  openAiUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
}

resource account 'Microsoft.CognitiveServices/accounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'AIServices'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource model 'Microsoft.CognitiveServices/accounts/deployments@2025-06-01' = {
  parent: account
  name: deploymentName
  sku: {
    name: deploymentSku
    capacity: capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: modelName
      version: modelVersion
    }
    versionUpgradeOption: 'OnceCurrentVersionExpired'
  }
}

resource appUses 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, roles.cognitiveServicesUser)
  scope: account
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.cognitiveServicesUser)
  }
}

resource appUsesOpenAi 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, roles.openAiUser)
  scope: account
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.openAiUser)
  }
}

resource acsUses 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, acsPrincipalId, roles.cognitiveServicesUser)
  scope: account
  properties: {
    principalId: acsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.cognitiveServicesUser)
  }
}

output name string = account.name
@description('The account\'s resource id: Speech with Entra ID sends it with the token (aad#{id}#{token}).')
output id string = account.id
@description('https://<subdomain>.cognitiveservices.azure.com/ — Speech and ACS\'s cognitive services endpoint.')
output endpoint string = account.properties.endpoint
@description('https://<subdomain>.openai.azure.com/ — the app appends /openai/v1.')
output openAiEndpoint string = 'https://${account.properties.customSubDomainName}.openai.azure.com/'
output deploymentName string = model.name
