// Azure Communication Services: phone numbers, Call Automation. Its system-assigned identity is what speaks and
// recognises through the AI services account (granted in ai.bicep).

param name string
param tags object

@description('Where ACS keeps data at rest, e.g. "United States", "Europe", "UK", "Australia" (cannot change later).')
param dataLocation string

@description('The app identity: gets a role on ACS so it can call Call Automation with Entra ID instead of an access key.')
param appPrincipalId string

// "Communication and Email Service Owner" is the only built-in role of Microsoft.Communication; ACS does not honour
// custom roles. It is broader than Call Automation needs (it includes the resource's keys).
var communicationOwner = '09976791-48a7-449e-bb21-39d1a415f350'

resource acs 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: name
  location: 'global'
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dataLocation: dataLocation
  }
}

resource appCalls 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(acs.id, appPrincipalId, communicationOwner)
  scope: acs
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', communicationOwner)
  }
}

output name string = acs.name
output endpoint string = 'https://${acs.properties.hostName}'
output immutableResourceId string = acs.properties.immutableResourceId
output principalId string = acs.identity.principalId
