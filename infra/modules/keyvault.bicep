// Key Vault for the app's secrets, RBAC only (no access policies). Secret names use "--" where the configuration key
// has ":" — the app's Key Vault configuration provider maps one to the other (Acs--EventGrid--Secret → Acs:EventGrid:Secret).

param name string
param location string
param tags object

@description('The app identity: gets Key Vault Secrets User (read secrets).')
param appPrincipalId string

@description('The person or pipeline running azd (may be empty): gets Key Vault Secrets Officer, to read or rotate secrets by hand.')
param deployerPrincipalId string = ''

@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 7

@description('Purge protection cannot be switched off again once on; with it, `azd down --purge` cannot purge the vault.')
param enablePurgeProtection bool = false

@secure()
@description('Twilio auth token; empty: no secret is written (and an existing one is left as it is).')
param twilioAuthToken string = ''

@secure()
@description('Signs the per-call token in ACS callback URIs.')
param acsCallbackSecret string

@secure()
@description('Checked as ?code= on /acs/events.')
param eventGridSecret string

var roles = {
  secretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  secretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // The service refuses "false" here; leaving it out means off.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource twilioSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(twilioAuthToken)) {
  parent: vault
  name: 'Twilio--AuthToken'
  properties: {
    value: twilioAuthToken
    contentType: 'text/plain'
  }
}

resource callbackSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'Acs--CallbackSecret'
  properties: {
    value: acsCallbackSecret
    contentType: 'text/plain'
  }
}

resource gridSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'Acs--EventGrid--Secret'
  properties: {
    value: eventGridSecret
    contentType: 'text/plain'
  }
}

resource appReads 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appPrincipalId, roles.secretsUser)
  scope: vault
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.secretsUser)
  }
}

resource deployerManages 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, roles.secretsOfficer)
  scope: vault
  properties: {
    principalId: deployerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.secretsOfficer)
  }
}

output name string = vault.name
output vaultUri string = vault.properties.vaultUri
