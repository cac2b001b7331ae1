param location string = resourceGroup().location
param storageConnection string

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'orders-plan'
  location: location
  sku: {
    name: 'EP1'
  }
  kind: 'elastic'
  properties: {
    reserved: true
  }
}

resource orders 'Microsoft.Web/sites@2023-12-01' = {
  name: 'contoso-orders'
  location: location
  kind: 'functionapp,linux'
  properties: {
    serverFarmId: plan.id
    siteConfig: {
      linuxFxVersion: 'DOTNET-ISOLATED|10.0'
      appSettings: [
        {
          name: 'AzureWebJobsStorage'
          value: storageConnection
        }
        {
          name: 'FUNCTIONS_EXTENSION_VERSION'
          value: '~4'
        }
        {
          name: 'FUNCTIONS_WORKER_RUNTIME'
          value: 'dotnet-isolated'
        }
      ]
    }
  }
}
