// The Event Grid system topic on the ACS resource and, once the app is deployed and can answer Event Grid's
// validation handshake, the subscription that sends IncomingCall events to /acs/events.

param topicName string
param acsName string
param tags object

@description('Create the subscription (Event Grid calls the endpoint while creating it: the app must be running).')
param subscribe bool

@secure()
@description('https://<app>/acs/events?code=<Event Grid secret>: secure, since the URL carries the secret.')
param endpointUrl string

resource acs 'Microsoft.Communication/communicationServices@2025-05-01' existing = {
  name: acsName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: topicName
  location: 'global'
  tags: tags
  properties: {
    source: acs.id
    topicType: 'Microsoft.Communication.CommunicationServices'
  }
}

resource incomingCall 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (subscribe) {
  parent: topic
  name: 'receptionist-incoming-call'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: endpointUrl
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Communication.IncomingCall'
      ]
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      // A caller is waiting: an IncomingCall older than a minute is of no use.
      maxDeliveryAttempts: 5
      eventTimeToLiveInMinutes: 1
    }
  }
}

output topicName string = topic.name
output subscribed bool = subscribe
