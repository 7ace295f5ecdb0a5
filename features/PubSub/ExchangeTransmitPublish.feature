Feature: The server publishes to a channel without waiting for acknowledgement
  agServer.exchange.transmitPublish(channel, data) publishes from the server side: every socket
  subscribed to the channel receives {"event":"#publish","data":{"channel":...,"data":...}}. The fixture
  procedure conformance.publish with ack false (or absent) calls exchange.transmitPublish.

  Rule: Subscribers receive the server's publications

    @server @fixture @v1 @v2 @L3 @PS-015 @PS-011 @S49
    Scenario: A server publication reaches every subscriber
      Given raw connection A has completed the handshake
      And A is subscribed to "foo"
      And raw connection B has completed the handshake
      And B is subscribed to "foo"
      And raw connection S has completed the handshake
      When S invokes "conformance.publish" with '{"channel":"foo","data":"This is some data"}'
      Then the invoke of S resolves without data
      And A receives '{"event":"#publish","data":{"channel":"foo","data":"This is some data"},"cid":"<absent>"}'
      And B receives the publication '"This is some data"' on "foo"
      And S receives no publication on "foo" within 300 ms

    @server @fixture @v1 @v2 @L3 @PS-015 @PS-011
    Scenario: A server publication without data has no inner data key
      Given raw connection A has completed the handshake
      And A is subscribed to "y"
      When A invokes "conformance.publish" with '{"channel":"y"}'
      Then A receives '{"event":"#publish","data":{"channel":"y","data":"<absent>"}}'

    @server @fixture @v1 @v2 @L3 @PS-015 @PS-013 @S49
    Scenario: Server publications arrive in order
      Given raw connection A has completed the handshake
      And A is subscribed to "server-order"
      And raw connection S has completed the handshake
      When S invokes "conformance.publish" with '{"channel":"server-order","data":"hello1"}'
      And S invokes "conformance.publish" with '{"channel":"server-order","data":"hello2"}'
      Then A receives on "server-order" exactly the publications '["hello1","hello2"]'

  Rule: Clients receive the server's publications on their channels

    Background:
      Given the known-good server is running

    @client @fixture @v1 @v2 @L3 @PS-017 @S49
    Scenario: A client's channel receives the server's publications in order
      Given a client C is connected
      And C is subscribed to "bar"
      And raw connection S has completed the handshake
      When S invokes "conformance.publish" with '{"channel":"bar","data":"hello1"}'
      And S invokes "conformance.publish" with '{"channel":"bar","data":"hello2"}'
      Then C receives on "bar" exactly the publications '["hello1","hello2"]'
