// The one user-assigned managed identity the app uses for everything: storage, Key Vault, AI services, ACS and
// pulling its image. The app finds it through AZURE_CLIENT_ID (DefaultAzureCredential).

param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
