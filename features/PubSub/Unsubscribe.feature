Feature: Unsubscribe from a channel
  socket.unsubscribe(channel) ends a membership. On the wire the data of #unsubscribe is the bare channel
  name (not {"channel": ...}). The official client sends it as a transmit; with a cid the server answers
  {"rid":N}, or an error when the channel name is malformed or the socket does not hold the channel.
  No publication on that channel reaches the socket afterwards.

  Rule: The server ends memberships

    @server @fixture @v1 @v2 @L3 @PS-006 @S52
    Scenario: An unsubscribe transmit ends the membership
      Given raw connection A has completed the handshake
      And A is subscribed to "unsubscribe-transmit"
      When A unsubscribes from "unsubscribe-transmit"
      And A invokes "conformance.subscriptions" without data
      Then the invoke of A resolves with '[]'
      When A invokes "conformance.publish" with '{"channel":"unsubscribe-transmit","data":"too late"}'
      Then the invoke of A resolves without data
      And A receives no publication on "unsubscribe-transmit" within 500 ms

    @server @fixture @v1 @v2 @L3 @PS-006 @S52
    Scenario: An unsubscribe request is acknowledged without data
      Given raw connection A has completed the handshake
      And A is subscribed to "unsubscribe-request"
      When A sends '{"event":"#unsubscribe","data":"unsubscribe-request","cid":$cid}'
      Then the request of A resolves without data
      When A invokes "conformance.publish" with '{"channel":"unsubscribe-request","data":"too late"}'
      Then A receives no publication on "unsubscribe-request" within 500 ms

    @server @v1 @v2 @L3 @PS-007 @S51
    Scenario: Unsubscribing from a channel the socket does not hold fails with BrokerError
      Given raw connection A has completed the handshake
      When A sends '{"event":"#unsubscribe","data":"bar","cid":$cid}'
      Then the request of A fails with "BrokerError"
      And A stays open for 500 ms

    @server @v1 @v2 @L3 @PS-007
    Scenario: Unsubscribe mistakes without a cid get no reply
      Given raw connection A has completed the handshake
      When A sends '{"event":"#unsubscribe","data":"bar"}'
      And A sends '{"event":"#unsubscribe","data":{"channel":"bar"}}'
      Then A receives no frame matching '"<any>"' within 500 ms
      And A stays open for 500 ms

  Rule: Clients unsubscribe with a #unsubscribe transmit

    Background:
      Given the known-good server is running

    @client @fixture @v1 @v2 @L3 @PS-019 @S52
    Scenario: A client unsubscribes and receives nothing more on the channel
      Given a client C is connected
      And C is subscribed to "foo"
      When C unsubscribes from "foo"
      Then channel "foo" of C is unsubscribed
      And the known-good server receives from C a frame matching '{"event":"#unsubscribe","data":"foo","cid":"<absent>"}'
      When C invokes "conformance.subscriptions" without data
      Then the invoke of C resolves with '[]'
      When C invokes "conformance.publish" with '{"channel":"foo","data":"too late"}'
      Then C receives no publication on "foo" within 500 ms

    @client @v1 @v2 @L1 @EV-007 @S51
    Scenario: A client invoking #unsubscribe for a channel it does not hold gets BrokerError
      Given a client C is connected
      When C invokes "#unsubscribe" with '"bar"'
      Then the invoke of C fails with "BrokerError"
