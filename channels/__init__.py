"""WhatsApp input channels for the Rasa server, named in credentials.yml.

- `whatsapp_cloud.WhatsAppCloudInput`: Meta's WhatsApp Cloud API (webhook at
  /webhooks/whatsapp/webhook, replies through the Graph API).
- `twilio_whatsapp.TwilioWhatsAppInput`: Twilio's WhatsApp, Rasa's Twilio
  channel with signature checks and numbered options (/webhooks/twilio/webhook).

The pieces both share (text splitting, numbered options, the options last
offered to each person, duplicate detection) live in their own small modules.
"""
