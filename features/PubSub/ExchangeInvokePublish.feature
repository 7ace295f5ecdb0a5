Feature: The server publishes to a channel and waits for acknowledgement
  await agServer.exchange.invokePublish(channel, data) publishes from the server side and completes
  when the broker has accepted the publication (with the default simple broker: at once). Subscribers
  receive the same #publish transmit as for transmitPublish. The fixture procedure conformance.publish
  with ack true calls exchange.invokePublish and responds once it completed.

  Rule: The server's acknowledged publications reach subscribers

    @server @fixture @v1 @v2 @L3 @PS-015 @PS-011
    Scenario: An acknowledged server publication completes and reaches every subscriber
      Given raw connection A has completed the handshake
      And A is subscribed to "foo"
      And raw connection B has completed the handshake
      And B is subscribed to "foo"
      And raw connection S has completed the handshake
      When S invokes "conformance.publish" with '{"channel":"foo","data":"This is some more data","ack":true}'
      Then the invoke of S resolves without data
      And A receives the publication '"This is some more data"' on "foo"
      And B receives the publication '"This is some more data"' on "foo"

    @server @fixture @v1 @v2 @L3 @PS-015 @PS-012
    Scenario: The caller receives its own server publication when subscribed
      Given raw connection A has completed the handshake
      And A is subscribed to "own-server-publication"
      When A invokes "conformance.publish" with '{"channel":"own-server-publication","data":42,"ack":true}'
      Then the invoke of A resolves without data
      And A receives on "own-server-publication" exactly the publications '[42]'

  Rule: Clients receive the server's acknowledged publications

    Background:
      Given the known-good server is running

    @client @fixture @v1 @v2 @L3 @PS-017
    Scenario: A client's channel receives an acknowledged server publication
      Given a client C is connected
      And C is subscribed to "foo"
      When C invokes "conformance.publish" with '{"channel":"foo","data":{"n":1},"ack":true}'
      Then the invoke of C resolves without data
      And C receives on "foo" exactly the publications '[{"n":1}]'
