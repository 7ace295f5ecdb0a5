Feature: Batches of packets in one frame
  A frame may hold a JSON array of packets. The receiver handles each element in order exactly as if it
  had arrived alone, and answers requests one by one (the answers may themselves be batched). Official
  peers batch with batchOnHandshake (for a short window after each handshake) or startBatching(). The
  handshake and the pings and pongs are never part of a batch.

  Rule: The server unpacks batches

    @server @fixture @v1 @v2 @L3 @BA-001 @MW-002 @S54
    Scenario: A batch of subscribes and requests is handled element by element, in order
      Given raw connection A has completed the handshake
      When A sends:
        """
        [{"event":"#subscribe","data":{"channel":"my-channel-1"},"cid":101},
         {"event":"#subscribe","data":{"channel":"conformance.blocked.my-channel-2"},"cid":102},
         {"event":"#subscribe","data":{"channel":"my-channel-3","data":{"foo":123}},"cid":103},
         {"event":"customRemoteEvent","data":"batched"},
         {"event":"#publish","data":{"channel":"my-channel-3","data":"Hello!"},"cid":105}]
        """
      Then A receives '{"rid":101,"error":"<absent>"}'
      And A receives '{"rid":102,"error":{"name":"BlockedByConformanceError"}}'
      And A receives '{"rid":103,"error":"<absent>"}'
      And A receives the publication '"Hello!"' on "my-channel-3"
      When A invokes "conformance.subscriptions" without data
      Then the invoke of A resolves with '["my-channel-1","my-channel-3"]'
      When A invokes "conformance.received" with '{"event":"customRemoteEvent"}'
      Then the invoke of A resolves with '["batched"]'

    @server @fixture @v1 @v2 @L1 @BA-001
    Scenario: Elements of a batch are handled before later frames
      Given raw connection A has completed the handshake
      When A sends '[{"event":"customRemoteEvent","data":1},{"event":"customRemoteEvent","data":2}]'
      And A transmits "customRemoteEvent" with '3'
      And A sends '[{"event":"customRemoteEvent","data":4}]'
      And A invokes "conformance.received" with '{"event":"customRemoteEvent"}'
      Then the invoke of A resolves with '[1,2,3,4]'

    @server @fixture @v1 @v2 @L1 @BA-001 @not-v14
    Scenario: A batch may carry the handshake as its first element
      Given raw connection A is open
      When A sends '[{"event":"#handshake","data":{"authToken":null},"cid":1},{"event":"conformance.echo","data":"after","cid":2}]'
      Then A receives '{"rid":1,"data":{"id":"<string>"}}'
      And A receives '{"rid":2,"data":"after"}'

  Rule: Clients accept batches and may send them

    @client @v1 @v2 @L3 @BA-002 @PS-017 @S54
    Scenario: A client handles the batched responses of a batching server
      Given the known-good server is running with options '{"batchOnHandshake":true,"batchOnHandshakeDuration":3000,"batchInterval":50}'
      And a client C is connected
      When C subscribes to "b1"
      And C subscribes to "b2"
      And C subscribes to "b3"
      Then channel "b1" of C becomes subscribed
      And channel "b2" of C becomes subscribed
      And channel "b3" of C becomes subscribed
      When C publishes '"Hello!"' to "b3" with invokePublish
      Then the invokePublish of C resolves
      And C receives the publication '"Hello!"' on "b3"

    @client @v1 @v2 @L1 @BA-003 @BA-004 @S54
    Scenario: A batching client sends its handshake alone and its pending subscribes as one array
      Given the known-good server is running
      And a client C is created with options '{"autoConnect":false,"batchOnHandshake":true,"batchOnHandshakeDuration":1000,"batchInterval":200}'
      When C subscribes to "my-channel-1"
      And C subscribes to "my-channel-2"
      And C subscribes to "my-channel-3"
      And C subscribes to "my-channel-4"
      And C subscribes to "my-channel-5"
      And C connects
      Then the known-good server receives from C a frame matching '{"event":"#handshake","cid":"<number>"}'
      And the known-good server receives from C one array frame holding 5 packets
      And channel "my-channel-5" of C becomes subscribed

    @client @v1 @v2 @L3 @BA-004 @RC-009 @S55
    Scenario: A batched subscribe and publish made while closed still deliver
      Given the known-good server is running with options '{"batchOnHandshake":true,"batchOnHandshakeDuration":400,"batchInterval":50}'
      And a client C is created with options '{"autoConnect":false,"batchOnHandshake":true,"batchOnHandshakeDuration":100,"batchInterval":50}'
      When C subscribes to "foo"
      And C publishes '"bar"' to "foo" with transmitPublish
      Then C receives the publication '"bar"' on "foo"
      And the connection state of C is open
