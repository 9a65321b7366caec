/** The Twilio auth token the journeys' server is started with (setup.ts), to sign SMS requests as Twilio would. */
export const twilioAuthToken = 'e2e-twilio-auth-token-not-a-real-one';
