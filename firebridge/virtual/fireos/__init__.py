"""The Fire OS model behind the virtual device: identity, activities, notifications, apps and Android commands."""
